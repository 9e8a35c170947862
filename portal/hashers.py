"""Password hashing for logins: Argon2id at OWASP's recommended cost.

OWASP's Password Storage Cheat Sheet recommends Argon2id with at least 19 MiB of memory, 2 iterations and a
parallelism of 1. That costs a few milliseconds of one core per login, so 150 agency heads logging in at the
deadline do not queue behind each other, while a stolen hash stays expensive to guess (memory-hard).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2idHasher(Argon2PasswordHasher):
    """Argon2id, m=19456 KiB (19 MiB), t=2, p=1.

    It keeps the algorithm name "argon2" so the hashes it writes are ordinary Django Argon2 hashes; a stored hash
    written with other parameters is rehashed at the next successful login (`must_update`).
    """

    time_cost = 2
    memory_cost = 19456
    parallelism = 1
