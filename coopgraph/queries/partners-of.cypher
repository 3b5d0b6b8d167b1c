// title: Partners of a place
// description: Place-to-place links (twinning, friendship, partnership, cooperation; signed, memoranda, intentions, plans) of a place and of every place inside it; organisation-level cooperation is not included.
// param place: place — the place, e.g. Brest, Brest Region or Minsk
// param status: status? filter — only links with this status
// columns: partner, partnerKind, partnerRegion, via, link, document, status, date, sources[]
// sort: via, partner, date
// In the Neo4j Browser, set the parameters first, e.g.:
// :param place => 'https://w3id.org/coopgraph/id/place/brest-region'
MATCH (place:Resource {iri: $place})
MATCH (t:Twinning)-[:PARTICIPANT]->(local:Place)
WHERE local = place OR (local)-[:LOCATED_IN]->(place)
MATCH (t)-[:PARTICIPANT]->(other:Place)
WHERE other <> local AND other <> place AND NOT (other)-[:LOCATED_IN]->(place)
OPTIONAL MATCH (other)-[:LOCATED_IN]->(region:Place)
WHERE region:Province OR region:Region
OPTIONAL MATCH (t)-[:SOURCE]->(c:Citation)
WITH t, other, local, region, collect(DISTINCT c.label) AS sources
RETURN other.name AS partner, other.kind AS partnerKind, coalesce(region.name, '') AS partnerRegion,
       local.name AS via, t.linkKind AS link, coalesce(t.documentKind, '') AS document,
       t.status AS status, coalesce(t.date, '') AS date, sources
