// title: Most connected actors
// description: Places and organisations ranked by how many cooperation resources (twinning, centres, investments, agreements, projects, events) they take part in.
// param type: class? — Place or Organization (or any class below them); leave out for both
// param limit: int = 20 — how many actors to list
// columns: actor, kind, country, degree#
// sort: -degree, actor
// In the Neo4j Browser, set the parameters first, e.g.:
// :param type => ''
MATCH (c:Cooperation)-[:PARTICIPANT]->(a:Actor)
WHERE $type = '' OR $type IN labels(a)
OPTIONAL MATCH (a)-[:COUNTRY]->(country:Country)
WITH a, country, count(DISTINCT c) AS degree
RETURN a.name AS actor, a.kind AS kind, coalesce(country.name, '') AS country, degree
