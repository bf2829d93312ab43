"""Grafana's HTTP API: find or create a folder, then create or overwrite dashboards in it.

The token goes into the ``Authorization`` header only; no message of this module contains it.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

import httpx
from pydantic import AnyHttpUrl, BaseModel, SecretStr

PUSH_MESSAGE = "lorahub dashboards push"


class GrafanaError(Exception):
    """Grafana refused a request or could not be reached (the message never holds the token)."""


class GrafanaTarget(BaseModel):
    """Where to push: the Grafana base URL, a service account token, and the folder's title."""

    url: AnyHttpUrl
    token: SecretStr
    folder: str = "lorahub"


class PushedDashboard(BaseModel):
    """What Grafana answered for one dashboard."""

    uid: str
    title: str
    url: str
    version: int
    status: str


class _Folder(BaseModel):
    uid: str
    title: str


class GrafanaClient:
    """A synchronous client of the few Grafana routes lorahub needs."""

    def __init__(self, target: GrafanaTarget, timeout_s: float = 15.0) -> None:
        self._http = httpx.Client(
            base_url=str(target.url).rstrip("/"),
            headers={"Authorization": f"Bearer {target.token.get_secret_value()}"},
            timeout=timeout_s,
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._http.close()

    def folder_uid(self, title: str) -> str:
        """The uid of the top-level folder called ``title``, created when there is none.

        Raises:
            GrafanaError: a request failed.
        """
        listed = self._request("GET", "/api/folders", params={"limit": 1000})
        for item in listed if isinstance(listed, list) else []:
            folder = _Folder.model_validate(item)
            if folder.title == title:
                return folder.uid
        return _Folder.model_validate(self._request("POST", "/api/folders", {"title": title})).uid

    def push(self, dashboard: dict[str, Any], folder_uid: str) -> PushedDashboard:
        """Create or overwrite ``dashboard`` (matched by its uid) in the folder.

        Raises:
            GrafanaError: Grafana refused it.
        """
        body = {
            "dashboard": {**dashboard, "id": None},
            "folderUid": folder_uid,
            "overwrite": True,
            "message": PUSH_MESSAGE,
        }
        answer = self._request("POST", "/api/dashboards/db", body)
        if not isinstance(answer, dict):
            raise GrafanaError("Grafana answered the dashboard upload with no object")
        return PushedDashboard.model_validate({"title": dashboard.get("title", ""), **answer})

    def _request(
        self, method: str, path: str, body: object = None, params: dict[str, int] | None = None
    ) -> Any:  # noqa: ANN401 - JSON, validated by the caller
        try:
            response = self._http.request(method, path, json=body, params=params)
        except httpx.HTTPError as exc:
            raise GrafanaError(f"cannot reach Grafana ({type(exc).__name__}: {exc})") from None
        if response.status_code in (401, 403):
            raise GrafanaError(
                f"Grafana refused the token ({response.status_code} on {method} {path})"
            )
        if response.is_error:
            raise GrafanaError(
                f"{method} {path} failed: {response.status_code} {_message(response)}"
            )
        return response.json()


def _message(response: httpx.Response) -> str:
    try:
        answer = response.json()
    except ValueError:
        return response.text[:200]
    return str(answer.get("message", "")) if isinstance(answer, dict) else ""
