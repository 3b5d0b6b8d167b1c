// title: Joint centres in a place
// description: Joint laboratories, research, education and study centres and joint institutes, with their city, host, partners, date, status and field; all of them, or those in a place.
// param place: place? — a city or region; leave out for every centre
// columns: center, kind, city, hosts[], partners[], date, status, fields[], sources[]
// sort: city, center
// In the Neo4j Browser, set the parameters first, e.g.:
// :param place => ''
MATCH (c:JointCenter)
WHERE $place = '' OR (c)-[:LOCATED_IN]->(:Resource {iri: $place})
OPTIONAL MATCH (c)-[:LOCATED_IN]->(city:City)
OPTIONAL MATCH (c)-[:HOST]->(host:Actor)
OPTIONAL MATCH (c)-[:PARTICIPANT]->(partner:Actor)
WHERE NOT (c)-[:HOST]->(partner)
OPTIONAL MATCH (c)-[:SOURCE]->(s:Citation)
WITH c, city, collect(DISTINCT host.name) AS hosts, collect(DISTINCT partner.name) AS partners,
     collect(DISTINCT s.label) AS sources
RETURN c.name AS center, c.kind AS kind, coalesce(city.name, '') AS city, hosts, partners,
       coalesce(c.date, '') AS date, coalesce(c.status, '') AS status, coalesce(c.sector, []) AS fields, sources
