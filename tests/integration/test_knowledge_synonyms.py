"""The synonym dictionary through the gateway: admins edit their account's entries, editors read
them, contacts reach nothing; an entry changes the searches of its own account only."""
import uuid

PATH = "/api/v1/kb/synonyms"


def marker():
    """Words of their own per test (letters only: a synonym entry is one word)."""
    letters = "".join("абвгдежзиклмнопрстуфхцчшщ"[int(c, 16)] for c in uuid.uuid4().hex[:8])
    return "жаргон" + letters, "метка" + letters


def publish(api, body):
    answer = api.post("/api/v1/kb/articles", json={
        "title": "Статья для словаря", "body": body, "state": "published",
        "visibility": "all_clients"})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def search(api, q):
    answer = api.get("/api/v1/kb/search", params={"q": q})
    assert answer.status_code == 200, answer.text
    return [hit["id"] for hit in answer.json()["items"]]


def reasons(answer):
    assert answer.status_code == 422, answer.text
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    return {error["field"] for error in answer.json()["errors"]}


def test_an_admins_entry_changes_the_searches_of_that_account_only(north, south):
    slang, word = marker()
    theirs = publish(north.admin, f"Проверьте {word}.")
    ours = publish(south.admin, f"Проверьте {word}.")
    assert search(north.admin, slang) == [] and search(south.admin, slang) == []
    put = north.admin.put(f"{PATH}/{slang}", json={"means": [word]})
    assert put.status_code == 200, put.text
    assert put.json()["source"] == "account" and put.json()["means"] == [word]
    assert put.json()["updated_by"]["id"] == north.ids["admin"]
    assert search(north.admin, slang) == [theirs]
    contact = north.people["client_a_company"]
    assert search(contact, slang) == [theirs]  # applies to the account's contacts too
    assert search(south.admin, slang) == []
    assert south.admin.get(f"{PATH}/{slang}").status_code == 404
    assert slang not in {e["word"] for e in south.admin.get(PATH).json()["items"]}
    assert slang in {e["word"] for e in north.admin.get(PATH).json()["items"]}
    assert south.admin.delete(f"{PATH}/{slang}").status_code == 404
    assert search(north.admin, slang) == [theirs]
    assert north.admin.delete(f"{PATH}/{slang}").status_code == 204
    assert search(north.admin, slang) == []
    assert north.admin.get(f"{PATH}/{slang}").status_code == 404
    assert ours not in search(south.admin, slang)


def test_the_built_in_lexicon_shows_under_the_accounts_entries(north, south):
    built_in = north.admin.get(f"{PATH}/инет").json()
    assert built_in == {"word": "инет", "means": ["интернет"], "source": "built_in",
                        "updated_at": None, "updated_by": None}
    _, word = marker()
    article = publish(north.admin, f"Нет интернета {word}.")
    assert article in search(north.admin, "инет")
    off = north.admin.put(f"{PATH}/Инет", json={"means": []})
    assert off.status_code == 200 and off.json()["word"] == "инет"
    try:
        assert article not in search(north.admin, "инет")
        assert south.admin.get(f"{PATH}/инет").json()["source"] == "built_in"
    finally:
        assert north.admin.delete(f"{PATH}/инет").status_code == 204
    assert article in search(north.admin, "инет")


def test_only_admins_edit_and_contacts_reach_nothing(north):
    slang, word = marker()
    agent, dispatcher = north.people["agent"], north.people["dispatcher"]
    assert agent.put(f"{PATH}/{slang}", json={"means": [word]}).status_code == 403
    assert dispatcher.put(f"{PATH}/{slang}", json={"means": [word]}).status_code == 403
    assert agent.get(f"{PATH}/{slang}").status_code == 404  # read, and nothing was written
    assert agent.get(PATH).status_code == 200
    north.admin.put(f"{PATH}/{slang}", json={"means": [word]})
    assert agent.delete(f"{PATH}/{slang}").status_code == 403
    for key in ("client_a_own", "client_a_company", "client_b_company"):
        contact = north.people[key]
        assert contact.get(PATH).status_code == 403
        assert contact.get(f"{PATH}/{slang}").status_code == 403
        assert contact.put(f"{PATH}/{slang}", json={"means": ["взлом"]}).status_code == 403
        assert contact.delete(f"{PATH}/{slang}").status_code == 403
    assert north.admin.get(f"{PATH}/{slang}").json()["means"] == [word]
    assert north.people["field_engineer"].get(PATH).status_code == 403
    north.admin.delete(f"{PATH}/{slang}")


def test_bad_entries_are_refused_naming_the_field(north):
    slang, _ = marker()
    assert reasons(north.admin.put(f"{PATH}/{slang}", json={})) == {"means"}
    assert reasons(north.admin.put(f"{PATH}/{slang}", json={"means": "турникет"})) == {"means"}
    assert reasons(north.admin.put(f"{PATH}/{slang}",
                                   json={"means": ["турникет"], "extra": 1})) == {"extra"}
    assert reasons(north.admin.put(f"{PATH}/{slang}", json={"means": ["турникет", "и на"]})) == {
        "means.1"}
    assert reasons(north.admin.put(f"{PATH}/{slang}", json={"means": ["x"] * 11})) == {"means"}
    assert reasons(north.admin.put(f"{PATH}/наш", json={"means": ["турникет"]})) == {"word"}
    assert reasons(north.admin.put(f"{PATH}/два%20слова", json={"means": ["турникет"]})) == {
        "word"}
    assert reasons(north.admin.get(PATH, params={"limit": 0})) == {"limit"}
    assert reasons(north.admin.get(PATH, params={"cursor": "нет"})) == {"cursor"}
    assert north.admin.get(f"{PATH}/{slang}").status_code == 404  # nothing half-written
