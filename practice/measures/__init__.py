"""Outcome measures: the instruments (NRS, STarT Back, RMDQ, ODI, PSFS), their scoring and
minimal important change, the scores recorded at the desk or filled in at home, and the
questionnaires asked before the next visit."""
