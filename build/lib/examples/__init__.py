"""The bundled example office: a plausible 2018 of Disnaker Kabupaten Malang."""
