// title: Chinese provinces partnering with a place
// description: The province-level divisions of China (municipalities included) whose places are linked to a place or to anything inside it, by twinning, friendship, partnership or cooperation, signed or not.
// param place: place — the place, e.g. Brest or Brest Region
// columns: province, partner, via, status, since, sources[]
// sort: province, partner, via, since
// In the Neo4j Browser, set the parameters first, e.g.:
// :param place => 'https://w3id.org/coopgraph/id/place/brest'
MATCH (place:Resource {iri: $place})
MATCH (t:Twinning)-[:PARTICIPANT]->(local:Place)
WHERE local = place OR (local)-[:LOCATED_IN]->(place)
MATCH (t)-[:PARTICIPANT]->(other:Place)
WHERE other <> local AND other <> place AND NOT (other)-[:LOCATED_IN]->(place)
MATCH (other)-[:LOCATED_IN*0..1]->(prov:Province)
OPTIONAL MATCH (t)-[:SOURCE]->(c:Citation)
WITH t, prov, other, local, collect(DISTINCT c.label) AS sources
RETURN prov.name AS province, other.name AS partner, local.name AS via, t.status AS status,
       coalesce(t.date, '') AS since, sources
