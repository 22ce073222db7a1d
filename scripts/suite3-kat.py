#!/usr/bin/env python3
"""Independent implementation of Golix cipher suite 3 (docs/cipher-suite-3.md) with Python's
`cryptography` package, printing the known answers that Tests/GolixTests/SuiteThreeTests.swift checks.
It shares no code with the Swift implementation, so agreement means the document is implementable."""
import hashlib
import hmac
import struct

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

RAW = serialization.Encoding.Raw, serialization.PublicFormat.Raw


def seq(start, n=32):
    return bytes((start + i) & 0xFF for i in range(n))


class Identity:
    def __init__(self, offset):
        self.sign = Ed25519PrivateKey.from_private_bytes(seq(0x01 + offset))
        self.enc = X25519PrivateKey.from_private_bytes(seq(0x21 + offset))
        self.exch = X25519PrivateKey.from_private_bytes(seq(0x41 + offset))
        body = (b"GIDC" + struct.pack(">I", 2) + b"\x03" + self.sign.public_key().public_bytes(*RAW)
                + self.enc.public_key().public_bytes(*RAW) + self.exch.public_key().public_bytes(*RAW) + b"\x01")
        self.ghid = b"\x01" + hashlib.sha512(body).digest()
        self.gidc = body + self.ghid[1:]


def seal(prefix):
    prefix += b"\x01"
    digest = hashlib.sha512(prefix).digest()
    return prefix + digest, b"\x01" + digest


def signed(identity, prefix):
    body, ghid = seal(prefix)
    return body + identity.sign.sign(ghid[1:]), ghid


def header(magic, version):
    return magic + struct.pack(">I", version) + b"\x03"


k, m = Identity(0), Identity(0x80)
key, seed = seq(0x00), seq(0x64, 16)
plaintext = b"hello, suite 3"
ciphertext = Cipher(algorithms.AES(key), modes.CTR(seed)).encryptor().update(plaintext)
geoc, geoc_ghid = signed(k, header(b"GEOC", 14) + k.ghid + struct.pack(">Q", len(ciphertext)) + ciphertext)
gobs, gobs_ghid = signed(k, header(b"GOBS", 6) + k.ghid + geoc_ghid)
frame_prefix = header(b"GOBD", 16) + k.ghid + struct.pack(">Q", 0) + struct.pack(">H", 65) + geoc_ghid
frame_prefix, dynamic = seal(frame_prefix)
gobd, gobd_ghid = signed(k, frame_prefix)
gdxx, gdxx_ghid = signed(k, header(b"GDXX", 9) + k.ghid + gobs_ghid)

secret = b"SH" + struct.pack(">H", 2) + b"\x03" + key + seed
inner = k.ghid + b"HS" + struct.pack(">H", 119) + geoc_ghid + bytes([53]) + secret
eph = X25519PrivateKey.from_private_bytes(seq(0xA1))
eph_pub = eph.public_key().public_bytes(*RAW)
r_pub = m.enc.public_key().public_bytes(*RAW)
okm = HKDF(hashes.SHA512(), 44, eph_pub + r_pub, b"Golix suite 3 request").derive(eph.exchange(m.enc.public_key()))
sealed = eph_pub + AESGCM(okm[:32]).encrypt(okm[32:], inner, m.ghid)
garq_body, garq_ghid = seal(header(b"GARQ", 12) + m.ghid + struct.pack(">I", len(sealed)) + sealed)
salt = bytes(a ^ b for a, b in zip(k.ghid[1:], m.ghid[1:]))
mac_key = HKDF(hashes.SHA512(), 64, salt, b"").derive(k.exch.exchange(m.exch.public_key()))
garq = garq_body + hmac.new(mac_key, garq_ghid[1:], hashlib.sha512).digest()

ratchet = HKDF(hashes.SHA512(), 48, geoc_ghid, dynamic).derive(seed + key)

for name, value in [("k_gidc", k.gidc), ("m_gidc", m.gidc), ("geoc", geoc), ("gobs", gobs),
                    ("gobd_dynamic", dynamic), ("gobd", gobd), ("gdxx", gdxx), ("garq", garq),
                    ("ratchet_key_seed", ratchet)]:
    print(f"{name} = {value.hex()}")
