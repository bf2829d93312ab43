"""The REST API for IT operators (``/api/v1``): tenants, sites, devices, pending devices, audit."""
