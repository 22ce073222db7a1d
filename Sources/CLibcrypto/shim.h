#ifndef HYPERGOLIX_CLIBCRYPTO_SHIM_H
#define HYPERGOLIX_CLIBCRYPTO_SHIM_H
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/err.h>
#endif
