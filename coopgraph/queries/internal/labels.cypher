// Every typed node with its properties, for name look-up (names are picked in Python).
MATCH (n:Resource)
WHERE n.kind IS NOT NULL
RETURN n.iri AS iri, n.kind AS kind, properties(n) AS props
