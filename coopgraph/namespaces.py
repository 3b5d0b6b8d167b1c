"""Every IRI namespace the project uses, in one place."""

COOP = "https://w3id.org/coopgraph/ontology#"
ONTOLOGY = "https://w3id.org/coopgraph/ontology"
ID = "https://w3id.org/coopgraph/id/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"
DCTERMS = "http://purl.org/dc/terms/"
SH = "http://www.w3.org/ns/shacl#"
WIKIDATA = "http://www.wikidata.org/entity/"

PREFIXES = {
    "coop": COOP,
    "id": ID,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "prov": PROV,
    "schema": SCHEMA,
    "org": ORG,
    "dcterms": DCTERMS,
    "wd": WIKIDATA,
}

NAMES_GRAPH = ID + "graph/names"  # search keys for name look-up; never exported

RDF_TYPE = RDF + "type"
PREF_LABEL = SKOS + "prefLabel"
ALT_LABEL = SKOS + "altLabel"
NOTE = SKOS + "note"
SAME_AS = OWL + "sameAs"
LABEL = RDFS + "label"


def coop(local: str) -> str:
    """The IRI of an ontology term."""
    return COOP + local


def local_name(iri: str) -> str:
    """The part after '#' or the last '/'."""
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rsplit("/", 1)[-1]


def sparql_prefixes() -> str:
    """PREFIX lines for the queries shipped in queries/."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
