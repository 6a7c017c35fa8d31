"""Mail as it arrives and leaves: messages read defensively, the inbox deposit, IMAP and SMTP.

Core modules only: nothing here imports click or prints. `iki collect` and `iki send` in
`pipeline/cli/` are the thin shells over them.
"""
