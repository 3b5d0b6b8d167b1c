// title: Investments
// description: Investments, loans and joint ventures with investor, recipient, place, amount as stated, year, sector and status; all of them, or those an actor takes part in or that lie in a place.
// param actor: actor? — a place or organisation; leave out for every investment
// columns: investment, kind, investors[], recipients[], place, amount#, currency, date, sectors[], status, sources[]
// sort: date, investment
// In the Neo4j Browser, set the parameters first, e.g.:
// :param actor => ''
MATCH (i:Investment)
WHERE $actor = ''
   OR (i)-[:PARTICIPANT]->(:Resource {iri: $actor})
   OR (i)-[:PARTICIPANT]->(:Actor)-[:LOCATED_IN]->(:Resource {iri: $actor})
   OR (i)-[:LOCATED_IN]->(:Resource {iri: $actor})
OPTIONAL MATCH (i)-[:INVESTOR]->(investor:Actor)
OPTIONAL MATCH (i)-[:RECIPIENT]->(recipient:Actor)
OPTIONAL MATCH (i)-[:LOCATED_IN]->(where:Place)
WHERE NOT (i)-[:LOCATED_IN]->(:Place)-[:LOCATED_IN]->(where)
OPTIONAL MATCH (i)-[:SOURCE]->(s:Citation)
WITH i, where, collect(DISTINCT investor.name) AS investors, collect(DISTINCT recipient.name) AS recipients,
     collect(DISTINCT s.label) AS sources
RETURN i.name AS investment, i.kind AS kind, investors, recipients, coalesce(where.name, '') AS place,
       i.amount AS amount, coalesce(i.currency, '') AS currency, coalesce(i.date, '') AS date,
       coalesce(i.sector, []) AS sectors, coalesce(i.status, '') AS status, sources
