"""The HTTP schemas, per direction: `requests` (client → service); `responses`, `views`,
`records` and `budgets` (service → client); all on the wire types of `types` (money as
decimal strings)."""
