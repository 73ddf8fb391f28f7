"""The read API under /api/v1/: the catalogue and published decisions for anyone, and business
cases with their machine assessment for officers (by token or session). JSON only; its OpenAPI 3
schema is at /api/v1/schema/ and its documentation (Swagger UI) at /api/v1/docs/."""
