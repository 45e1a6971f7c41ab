"""Warning signs (red flags): the catalogue, flags derived from answers, and the notices that
lead a practitioner to refer a client to a doctor."""
