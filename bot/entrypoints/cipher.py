"""Tokens at rest: MultiFernet over `BRAVO_ENCRYPTION_KEY` (comma-separated keys; the first
encrypts, every one decrypts, so a new key can be put first and old tokens still open)."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from bot.domain.tokens import UnreadableToken


class FernetCipher:
    """Implements `bot.domain.tokens.TokenCipher`."""

    def __init__(self, keys: str) -> None:
        self._fernet = MultiFernet([Fernet(k.strip()) for k in keys.split(",") if k.strip()])

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, ciphertext: str) -> str:
        try:
            return self._fernet.decrypt(ciphertext.encode()).decode()
        except InvalidToken:
            raise UnreadableToken("no key in BRAVO_ENCRYPTION_KEY opens a stored token") from None

    def rotate(self, ciphertext: str) -> str:
        try:
            return self._fernet.rotate(ciphertext.encode()).decode()
        except InvalidToken:
            raise UnreadableToken("no key in BRAVO_ENCRYPTION_KEY opens a stored token") from None
