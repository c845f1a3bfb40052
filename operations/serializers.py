"""Django's JSON serialization, with times to the microsecond.

Django's JSON encoder cuts times to milliseconds (as JavaScript has them); a
backup must give back exactly what it took, and Django's JSON deserializer
reads the full precision.
"""

import datetime

from django.core.serializers import json
from django.core.serializers.json import Deserializer  # noqa: F401


class ExactJSONEncoder(json.DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactJSONEncoder
