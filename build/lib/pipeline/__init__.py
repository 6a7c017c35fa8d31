"""IKI Pipeline: quarterly Individual Performance Indicators of Disnaker Kabupaten Malang."""

__version__ = "0.1.0"
