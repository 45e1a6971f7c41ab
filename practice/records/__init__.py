"""The client's rights on the record: the complete copy (GDPR Art. 15 and 20, § 630g BGB)."""
