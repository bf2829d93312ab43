"""Read a device list (CSV: dev_eui,name,model,tenant,site and optional calibration, decoding)."""

from __future__ import annotations

import csv
import io
from collections.abc import Container, Iterator
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from lorahub.domain.device import Calibration, DecodingMode, Device
from lorahub.domain.ids import ModelId, parse_dev_eui

REQUIRED_COLUMNS = ("dev_eui", "name", "model", "tenant", "site")
OPTIONAL_COLUMNS = ("empty_distance_m", "full_distance_m", "decoding", "expected_interval_s")


class DeviceRow(BaseModel):
    """One validated row of a device list."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    dev_eui: str
    name: str
    model: str
    tenant: str
    site: str
    empty_distance_m: float | None = None
    full_distance_m: float | None = None
    decoding: DecodingMode = "model"
    expected_interval_s: int | None = None

    @field_validator("dev_eui")
    @classmethod
    def _dev_eui(cls, value: str) -> str:
        return parse_dev_eui(value)

    @field_validator("name", "model", "tenant", "site")
    @classmethod
    def _not_empty(cls, value: str) -> str:
        if not value:
            raise ValueError("must not be empty")
        return value

    @field_validator("empty_distance_m", "full_distance_m", "expected_interval_s", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("expected_interval_s")
    @classmethod
    def _positive(cls, value: int | None) -> int | None:
        if value is not None and value <= 0:
            raise ValueError("must be a positive number of seconds")
        return value

    @field_validator("decoding", mode="before")
    @classmethod
    def _blank_is_model(cls, value: object) -> object:
        return "model" if value in ("", None) else value

    def to_device(self) -> Device:
        """The registry device this row describes."""
        return Device(
            dev_eui=parse_dev_eui(self.dev_eui),
            name=self.name,
            model=ModelId(self.model),
            tenant=self.tenant,
            site=self.site,
            calibration=Calibration(self.empty_distance_m, self.full_distance_m),
            decoding=self.decoding,
            expected_interval_s=self.expected_interval_s,
        )


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row that was not imported, and why."""

    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class ParsedRow:
    """One line of the file: a device, or the problem that kept it out."""

    line: int
    device: Device | None
    problem: RowProblem | None


def parse_device_rows(text: str, known_models: Container[str]) -> Iterator[ParsedRow]:
    """Validate every data row of a device CSV.

    Args:
        text: the whole file (a header line naming the columns, then one device per line).
        known_models: model ids of the catalog; a row naming another model is refused.

    Yields:
        One ParsedRow per data line, in file order.

    Raises:
        ValueError: the header lacks a required column or names an unknown one.
    """
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    unknown = [c for c in header if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:
        raise ValueError(
            "bad CSV header: "
            + "; ".join(
                part
                for part in (
                    f"missing columns {', '.join(missing)}" if missing else "",
                    f"unknown columns {', '.join(unknown)}" if unknown else "",
                )
                if part
            )
            + f" (expected {','.join(REQUIRED_COLUMNS)}[,{','.join(OPTIONAL_COLUMNS)}])"
        )
    reader.fieldnames = header
    seen: set[str] = set()
    for record in reader:
        line = reader.line_num
        if None in record:
            yield ParsedRow(line, None, RowProblem(line, "more values than columns"))
            continue
        try:
            row = DeviceRow.model_validate(record)
        except ValidationError as exc:
            reason = "; ".join(f"{e['loc'][0]}: {e['msg']}" for e in exc.errors())
            yield ParsedRow(line, None, RowProblem(line, reason))
            continue
        if row.model not in known_models:
            yield ParsedRow(line, None, RowProblem(line, f"model: unknown model {row.model!r}"))
        elif row.dev_eui in seen:
            yield ParsedRow(
                line, None, RowProblem(line, f"dev_eui: {row.dev_eui} repeats an earlier row")
            )
        else:
            seen.add(row.dev_eui)
            yield ParsedRow(line, row.to_device(), None)
