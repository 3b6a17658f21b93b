"""Bare functions-framework functions: the ceilings the platform is measured against."""
import functools

import functions_framework


@functions_framework.http
def bare_hello(request):
    return "ok"


@functools.cache
def _client():
    from google.cloud import firestore

    return firestore.Client()


@functions_framework.http
def bare_one_read(request):
    snap = _client().collection("bare").document("siap").get()
    return {"ada": snap.exists}
