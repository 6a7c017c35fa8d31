"""click's own words in Indonesian: usage lines, help, and the messages of usage errors.

click marks every message it writes for gettext (`from gettext import gettext as _` in each
of its modules), but gettext would choose the language from the user's environment and
needs compiled catalogues. The `iki` command always speaks Indonesian, so `install` gives
click's modules a translator backed by the table below instead, and names click's types in
Indonesian. The same error therefore always has the same words. click is pinned exactly; a
test checks that every message in click's source has an entry here, so an upgrade that adds
one fails the tests instead of showing English.
"""

from __future__ import annotations

import importlib
from typing import Any

import click
import click.types

OPTIONS_METAVAR = "[OPSI]"
SUBCOMMAND_METAVAR = "PERINTAH [ARG]..."

MESSAGES = {
    # Help pages
    "Usage:": "Cara pakai:",
    "Options": "Opsi",
    "Commands": "Perintah",
    "Positional arguments": "Argumen",
    "Show this message and exit.": "Tampilkan bantuan ini lalu keluar.",
    "Show the version and exit.": "Tampilkan versi lalu keluar.",
    "%(prog)s, version %(version)s": "%(prog)s, versi %(version)s",
    "default: {default}": "bawaan: {default}",
    "required": "wajib",
    "env var: {var}": "variabel lingkungan: {var}",
    "(dynamic)": "(dinamis)",
    "deprecated": "usang",
    # Usage errors
    # After "Galat: " a message goes on in lower case, as the project's own messages do.
    "Error: {message}": "Galat: {message}",
    "Try '{command} {option}' for help.": "Coba '{command} {option}' untuk bantuan.",
    "Missing argument": "belum diisi: argumen",
    "Missing option": "belum diisi: opsi",
    "Missing parameter": "belum diisi: parameter",
    "Missing {param_type}": "belum diisi: {param_type}",
    "Missing parameter: {param_name}": "parameter belum diisi: {param_name}",
    "Missing command.": "perintah belum disebut.",
    "No such option {name!r}.": "opsi {name!r} tidak ada.",
    "No such command {name!r}.": "perintah {name!r} tidak ada.",
    "Invalid value for {param_hint}: {message}": "nilai tidak sah untuk {param_hint}: {message}",
    "Invalid value: {message}": "nilai tidak sah: {message}",
    "Option {name!r} does not take a value.": "opsi {name!r} tidak menerima nilai.",
    "Argument {name!r} takes {nargs} values.": "argumen {name!r} memerlukan {nargs} nilai.",
    "Invalid start character for option ({option})": "awal opsi tidak sah ({option})",
    "Value must be an iterable.": "nilai harus berupa daftar.",
    "Choose from:\n\t{choices}": "Pilih salah satu:\n\t{choices}",
    "Choice({choices})": "Pilihan({choices})",
    "{value} is not in the range {range}.": "{value} di luar rentang {range}.",
    "{value!r} is not a valid {number_type}.": "{value!r} bukan {number_type} yang sah.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} bukan nilai ya/tidak yang sah. Nilai yang dikenal: {states}"
    ),
    "{value!r} is not a valid UUID.": "{value!r} bukan UUID yang sah.",
    "file": "berkas",
    "directory": "folder",
    "path": "jalur",
    "{name} {filename!r} does not exist.": "{name} {filename!r} tidak ada.",
    "{name} {filename!r} is a file.": "{name} {filename!r} ternyata sebuah berkas.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} ternyata sebuah folder.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} tidak dapat dibaca.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} tidak dapat ditulisi.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} tidak dapat dijalankan.",
    "Could not open file {filename!r}: {message}": (
        "berkas {filename!r} tidak dapat dibuka: {message}"
    ),
    "unknown error": "galat tidak dikenal",
    "Aborted!": "Dibatalkan.",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": (
        "Peringatan: perintah {name!r} sudah usang.{extra_message}"
    ),
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": (
        "Peringatan: {param_type} {name!r} sudah usang.{extra_message}"
    ),
    # Prompts, progress, editor, terminal
    "Do you want to continue?": "Lanjutkan?",
    "Confirm the action without prompting.": "Setujui tanpa ditanya.",
    "Repeat for confirmation": "Ulangi untuk memastikan",
    "Error: The two entered values do not match.": "Galat: kedua nilai yang dimasukkan berbeda.",
    "Error: invalid input": "Galat: masukan tidak sah",
    "Press any key to continue...": "Tekan tombol apa saja untuk melanjutkan...",
    "Unknown color {colour!r}": "Warna {colour!r} tidak dikenal",
    "Unknown standard stream '{name}'": "Aliran standar '{name}' tidak dikenal",
    "{editor}: Editing failed": "{editor}: penyuntingan gagal",
    "{editor}: Editing failed: {e}": "{editor}: penyuntingan gagal: {e}",
    "Windows error: {error}": "Galat Windows: {error}",
    "d": "h",  # days in a progress bar's remaining time
    "Couldn't detect Bash version, shell completion is not supported.": (
        "Versi Bash tidak dikenali; pelengkapan otomatis tidak didukung."
    ),
    "Shell completion is not supported for Bash versions older than 4.4.": (
        "Pelengkapan otomatis memerlukan Bash 4.4 atau lebih baru."
    ),
    # Mistakes in a command's definition (a programmer's, never a user's)
    "Name '{name}' defined twice": "Nama '{name}' didefinisikan dua kali",
    "Boolean option {decl!r} cannot use the same flag for true/false.": (
        "Opsi ya/tidak {decl!r} tidak boleh memakai tanda yang sama untuk ya dan tidak."
    ),
    "Could not determine name for option with declarations {decls!r}": (
        "Nama opsi dengan deklarasi {decls!r} tidak dapat ditentukan"
    ),
    "No options defined but a name was passed ({name}). Did you mean to declare an argument "
    "instead? Did you mean to pass '--{name}'?": (
        "Tidak ada opsi, tetapi sebuah nama diberikan ({name}). Mungkin maksudnya argumen, "
        "atau '--{name}'?"
    ),
    "Arguments take exactly one parameter declaration, got {length}: {decls}.": (
        "Argumen memerlukan tepat satu deklarasi, diberikan {length}: {decls}."
    ),
}

# (singular, plural) -> (Indonesian for one, Indonesian for more)
PLURALS = {
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "Mungkin maksud Anda {possibility}?",
        "(Mungkin maksud Anda salah satu dari: {possibilities}?)",
    ),
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "ada argumen lebih yang tidak dikenal: {args}.",
        "ada argumen lebih yang tidak dikenal: {args}.",
    ),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "opsi {name!r} memerlukan nilai.",
        "opsi {name!r} memerlukan {nargs} nilai.",
    ),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): (
        "memerlukan {nargs} nilai, tetapi diberikan 1.",
        "memerlukan {nargs} nilai, tetapi diberikan {len}.",
    ),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "{value!r} bukan {choice}.",
        "{value!r} bukan salah satu dari {choices}.",
    ),
    (
        "{value!r} does not match the format {format}.",
        "{value!r} does not match the formats {formats}.",
    ): (
        "{value!r} tidak sesuai format {format}.",
        "{value!r} tidak sesuai satu pun format {formats}.",
    ),
    (
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
    ): (
        "diperlukan {len_type} nilai, tetapi diberikan {len_value}.",
        "diperlukan {len_type} nilai, tetapi diberikan {len_value}.",
    ),
}

# What click calls its types in messages ("'x' is not a valid integer") and metavars.
TYPE_NAMES: dict[type[Any], str] = {
    click.types.StringParamType: "teks",
    click.types.IntParamType: "bilangan bulat",
    click.types.IntRange: "bilangan bulat",
    click.types.FloatParamType: "bilangan",
    click.types.FloatRange: "bilangan",
    click.types.BoolParamType: "ya/tidak",
    click.types.Choice: "pilihan",
    click.types.DateTime: "tanggal",
    click.types.File: "berkas",
}

CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.types",
    "click.termui",
    "click.utils",
    "click._termui_impl",
    "click.shell_completion",
)


def gettext(message: str) -> str:
    """click's message in Indonesian (the message itself when it has no entry)."""
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """click's message with a count, in Indonesian."""
    one, more = PLURALS.get((singular, plural), (singular, plural))
    return one if count == 1 else more


def install() -> None:
    """Give click's modules the Indonesian translator and Indonesian type names."""
    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
    for kind, word in TYPE_NAMES.items():
        kind.name = word


def localize(command: click.Command) -> click.Command:
    """Indonesian metavars in a command's usage line, for it and every subcommand."""
    command.options_metavar = OPTIONS_METAVAR
    if isinstance(command, click.Group):
        command.subcommand_metavar = SUBCOMMAND_METAVAR
        for sub in command.commands.values():
            localize(sub)
    return command
