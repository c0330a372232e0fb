"""Who works in an account and who it serves: accounts, employees and groups, client companies and
their contacts, credentials and authentication. Rules, schemas and entrypoints; the data is in
store/ (accounts, people, clients, credentials, audit)."""
