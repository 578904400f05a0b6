"""sohoa: dossier digitization for Vietnamese one-stop counters."""

__version__ = "0.8.2"
PIPELINE_VERSION = __version__
