// title: Cooperation timeline
// description: Every dated cooperation (twinning, centres, investments, agreements, projects, events) by year, for a place and everything inside it, or for the whole graph.
// param place: actor? — a place or organisation; leave out for the whole graph
// columns: year#, kind, cooperation, date, status, participants[], sources[]
// sort: year, date, kind, cooperation
// In the Neo4j Browser, set the parameters first, e.g.:
// :param place => ''
MATCH (c:Cooperation)
WHERE c.date IS NOT NULL
  AND ($place = ''
       OR (c)-[:PARTICIPANT]->(:Resource {iri: $place})
       OR (c)-[:PARTICIPANT]->(:Actor)-[:LOCATED_IN]->(:Resource {iri: $place})
       OR (c)-[:LOCATED_IN]->(:Resource {iri: $place}))
OPTIONAL MATCH (c)-[:PARTICIPANT]->(p:Actor)
OPTIONAL MATCH (c)-[:SOURCE]->(s:Citation)
WITH c, collect(DISTINCT p.name) AS participants, collect(DISTINCT s.label) AS sources
RETURN substring(c.date, 0, 4) AS year, c.kind AS kind, c.name AS cooperation, c.date AS date,
       coalesce(c.status, '') AS status, participants, sources
