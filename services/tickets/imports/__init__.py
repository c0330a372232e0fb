"""Importing clients, contacts, sites and equipment from CSV and XLSX files: reading, columns,
planning and writing. Records are written through the store's verbs (store/)."""
