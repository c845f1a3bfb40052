"""Send reader queries to a read replica (enabled by DATABASE_REPLICA_URL).

Everything inside a transaction stays on the primary: a request that
writes reads back what it wrote, and the admin's change forms, which run
in one transaction, never see an older copy. Reads outside transactions
may lag the primary by the replication delay (usually milliseconds), so
editors should work through app servers without a replica (see
docs/SCALING.md).
"""

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA_DB_ALIAS = "replica"


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same rows.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
