"""One router per resource of the REST API; each module exposes ``router() -> APIRouter``."""
