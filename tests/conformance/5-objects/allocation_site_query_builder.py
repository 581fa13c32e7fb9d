"""Fields are keyed by allocation site: two `QueryBuilder`s of one handler are not mixed;
only the one whose `where()` received request data builds an injectable query."""

from django.db import connection
from django.http import JsonResponse


class QueryBuilder:
    def __init__(self, table):
        self.table = table
        self.clauses = []

    def where(self, clause):
        self.clauses.append(clause)
        return self

    def sql(self):
        where = " AND ".join(self.clauses) or "1=1"
        return f"SELECT * FROM {self.table} WHERE {where}"


def search_users(request):
    users = QueryBuilder("auth_user")
    users.where(f"username LIKE '%{request.GET['q']}%'")
    stats = QueryBuilder("user_stats")
    stats.where("day = CURRENT_DATE")  # not-step: sql-injection
    with connection.cursor() as cursor:
        cursor.execute(stats.sql())  # ok: sql-injection
        today = cursor.fetchall()
        cursor.execute(users.sql())  # expect: sql-injection
        return JsonResponse({"users": cursor.fetchall(), "today": today})
