"""Logins hash with Argon2id at OWASP's recommendation; passwords stored with PBKDF2 are upgraded at next login.

The suite itself hashes with MD5 for speed (tests/settings.py); these tests read the portal's own setting and
switch to it where they log in.
"""

import importlib

import pytest
from django.contrib.auth.hashers import check_password, get_hasher, identify_hasher, make_password
from django.urls import reverse

PRODUCTION_HASHERS = importlib.import_module("portal.settings").PASSWORD_HASHERS


def test_the_portal_hashes_with_argon2id_at_owasps_recommended_cost():
    assert PRODUCTION_HASHERS[0] == "portal.hashers.OwaspArgon2idHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in PRODUCTION_HASHERS[1:]
    from portal.hashers import OwaspArgon2idHasher

    hasher = OwaspArgon2idHasher()
    assert (hasher.memory_cost, hasher.time_cost, hasher.parallelism) == (19456, 2, 1)
    encoded = hasher.encode("mật khẩu dài đủ 12", hasher.salt())
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


@pytest.mark.django_db
def test_a_pbkdf2_password_is_rehashed_with_argon2id_at_the_next_login(settings, client, django_user_model):
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    user = django_user_model.objects.create(
        username="head_old",
        password=make_password("mật khẩu cũ 2019", hasher="pbkdf2_sha256"),
    )
    assert identify_hasher(user.password).algorithm == "pbkdf2_sha256"

    response = client.post(reverse("login"), {"username": "head_old", "password": "mật khẩu cũ 2019"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert get_hasher("default").algorithm == "argon2"
    assert check_password("mật khẩu cũ 2019", user.password)
    # The upgraded hash is accepted at the login after.
    client.logout()
    assert client.post(reverse("login"), {"username": "head_old", "password": "mật khẩu cũ 2019"}).status_code == 302


@pytest.mark.django_db
def test_an_argon2_hash_with_weaker_parameters_is_rehashed_too(settings, client, django_user_model):
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    weak = make_password("mật khẩu yếu 2020", hasher="argon2")  # Django's default: m=102400? t=2 p=8
    user = django_user_model.objects.create(username="head_weak", password=weak)
    assert client.post(reverse("login"), {"username": "head_weak", "password": "mật khẩu yếu 2020"}).status_code == 302
    user.refresh_from_db()
    assert "m=19456,t=2,p=1" in user.password
