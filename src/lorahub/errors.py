"""Errors that reject one message; each carries the dead-letter reason it is filed under."""

from __future__ import annotations

from enum import StrEnum


class RejectReason(StrEnum):
    """Why a message was dead-lettered (the ``reason`` column and metric label)."""

    MALFORMED = "malformed"
    UNKNOWN_DEVICE = "unknown_device"
    UNKNOWN_MODEL = "unknown_model"
    DEVICE_DISABLED = "device_disabled"
    DECODE_FAILED = "decode_failed"
    CODEC_TIMEOUT = "codec_timeout"
    CODEC_ERROR = "codec_error"
    NO_DECODER = "no_decoder"
    WRITE_REJECTED = "write_rejected"
    INTERNAL = "internal"


class LorahubError(Exception):
    """Base of every error that rejects a single message without stopping the pipeline."""

    reason: RejectReason = RejectReason.INTERNAL

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MalformedMessage(LorahubError):
    """The MQTT payload is not a valid network-server message."""

    reason = RejectReason.MALFORMED


class UnknownDevice(LorahubError):
    """The DevEUI is not in the registry."""

    reason = RejectReason.UNKNOWN_DEVICE


class UnknownModel(LorahubError):
    """The device's model id is not in the catalog."""

    reason = RejectReason.UNKNOWN_MODEL


class DeviceDisabled(LorahubError):
    """The device is registered but disabled."""

    reason = RejectReason.DEVICE_DISABLED


class DecodeError(LorahubError):
    """The payload does not decode with the model's decoder (truncated, malformed, wrong port)."""

    reason = RejectReason.DECODE_FAILED


class CodecTimeout(DecodeError):
    """A JavaScript codec ran past its time limit and was stopped."""

    reason = RejectReason.CODEC_TIMEOUT


class CodecFailure(DecodeError):
    """A JavaScript codec threw, ran out of memory or overflowed its stack."""

    reason = RejectReason.CODEC_ERROR


class NoDecoder(LorahubError):
    """The model has no decoder and the network server sent no decoded object."""

    reason = RejectReason.NO_DECODER


class ConfigError(Exception):
    """Configuration or catalog content that must stop start-up, with a message naming the file."""
