"""The 1C double answers the documented protocol, so that what passes against it has a chance
against a real 1C: checked here with plain HTTP, not through our client."""
import pytest
import requests

from services.billing_sync.profiles import Profile

from tests.doubles.onec_fixtures import onec, onec_bp  # noqa: F401 - fixtures
from tests.doubles.onec_odata import EMPTY_REF, OneCOData
from tests.doubles.onec_seed import complete_bp_sale, seed


def get(double, resource, auth=True, **params):
    return requests.get(double.url + resource, params=dict({"$format": "json"}, **params),
                        auth=(double.user, double.password) if auth else None, timeout=10)


def test_metadata_lists_the_entity_sets_of_the_profile(onec):
    text = requests.get(onec.url + "$metadata", auth=(onec.user, onec.password), timeout=10).text
    assert text.startswith("<?xml") and "EntityContainer" in text
    assert '<EntitySet Name="Catalog_Контрагенты"' in text
    if onec.profile == "bp30":
        assert '<EntitySet Name="Document_ПоступлениеНаРасчетныйСчет"' in text
        assert '<EntitySet Name="AccountingRegister_Хозрасчетный"' in text
    else:
        assert '<EntitySet Name="Document_ПоступлениеБезналичныхДенежныхСредств"' in text
        assert '<EntitySet Name="AccumulationRegister_РасчетыСКлиентами"' in text
        assert "Catalog_ВидыЦен" in text and "Catalog_ТипыЦенНоменклатуры" not in text


def test_collections_have_the_odata_json_shape_and_every_standard_field(onec_bp):
    body = get(onec_bp, "Catalog_Контрагенты").json()
    assert body["odata.metadata"].endswith("$metadata#Catalog_Контрагенты")
    record = body["value"][0]
    for field in ("Ref_Key", "DataVersion", "DeletionMark", "Code", "Description", "IsFolder",
                  "Parent_Key", "ИНН", "КПП", "ГоловнойКонтрагент_Key"):
        assert field in record
    assert record["Parent_Key"] == EMPTY_REF


def test_filters_take_v3_literals_and_refuse_v4_ones(onec_bp):
    ref = onec_bp.refs["north"]
    assert [r["Ref_Key"] for r in get(onec_bp, "Catalog_Контрагенты",
                                      **{"$filter": f"Ref_Key eq guid'{ref}'"}).json()["value"]] == [ref]
    v4 = get(onec_bp, "Catalog_Контрагенты", **{"$filter": f"Ref_Key eq {ref}"})
    assert v4.status_code == 400 and "odata.error" in v4.json()
    wrong_type = get(onec_bp, "Catalog_Контрагенты", **{"$filter": f"Ref_Key eq '{ref}'"})
    assert wrong_type.status_code == 400
    since = get(onec_bp, "Document_ПоступлениеНаРасчетныйСчет",
                **{"$filter": "Date ge datetime'2026-06-01T00:00:00' and Posted eq true and "
                              "(DeletionMark eq false and ВидОперации eq 'ОплатаПокупателя')"}).json()
    assert {r["Date"][:10] for r in since["value"]} == {"2026-06-03"}


def test_select_top_skip_and_inlinecount(onec_bp):
    first = get(onec_bp, "Catalog_Контрагенты", **{"$select": "Ref_Key,ИНН", "$orderby": "Ref_Key",
                                                   "$top": "3", "$inlinecount": "allpages"}).json()
    rest = get(onec_bp, "Catalog_Контрагенты", **{"$orderby": "Ref_Key", "$skip": "3"}).json()
    assert [set(r) for r in first["value"]] == [{"Ref_Key", "ИНН"}] * 3
    assert first["odata.count"] == str(3 + len(rest["value"]))
    assert {r["Ref_Key"] for r in first["value"]}.isdisjoint(r["Ref_Key"] for r in rest["value"])


def test_errors_come_as_odata_error_bodies(onec_bp):
    missing = get(onec_bp, "Catalog_НетТакого")
    assert missing.status_code == 404
    error = missing.json()["odata.error"]
    assert error["code"] and error["message"]["lang"] == "ru" and "Catalog_НетТакого" in error["message"]["value"]
    assert get(onec_bp, "Catalog_Контрагенты", **{"$select": "Нет"}).status_code == 400


def test_basic_auth_is_required(onec_bp):
    answer = get(onec_bp, "Catalog_Контрагенты", auth=False)
    assert answer.status_code == 401 and answer.headers["WWW-Authenticate"].startswith("Basic")
    assert requests.get(onec_bp.url + "Catalog_Контрагенты", auth=("odata", "wrong"),
                        timeout=10).status_code == 401


def test_cyrillic_paths_travel_url_encoded(onec_bp):
    raw = requests.get(onec_bp.url + "Catalog_%D0%9A%D0%BE%D0%BD%D1%82%D1%80%D0%B0%D0%B3%D0%B5%D0%BD%D1%82%D1%8B"
                       "?$format=json", auth=(onec_bp.user, onec_bp.password), timeout=10)
    assert raw.status_code == 200 and raw.json()["value"]


def test_a_created_document_is_unposted_until_post(onec_bp):
    body = complete_bp_sale(onec_bp)
    created = requests.post(onec_bp.url + "Document_РеализацияТоваровУслуг?$format=json", json=body,
                            auth=(onec_bp.user, onec_bp.password), timeout=10)
    assert created.status_code == 201
    document = created.json()
    assert document["Posted"] is False and document["Услуги"][0]["LineNumber"] == "1"
    ref = document["Ref_Key"]
    posted = requests.post(onec_bp.url + f"Document_РеализацияТоваровУслуг(guid'{ref}')/Post"
                           "?PostingModeOperational=false", auth=(onec_bp.user, onec_bp.password), timeout=10)
    assert posted.status_code == 200
    assert get(onec_bp, f"Document_РеализацияТоваровУслуг(guid'{ref}')").json()["Posted"] is True
    unknown = requests.post(onec_bp.url + "Document_РеализацияТоваровУслуг?$format=json",
                            json=dict(body, Лишнее=1), auth=(onec_bp.user, onec_bp.password), timeout=10)
    assert unknown.status_code == 400


def test_virtual_tables_take_period_and_condition_as_path_parameters(onec):
    profile = Profile(onec.profile)
    register, contract = profile["settlement.register"], profile["settlement.contract"]
    before_any = get(onec, f"{register}/Balance(Period=datetime'2026-01-01T00:00:00')").json()["value"]
    now = get(onec, f"{register}/Balance(Period=datetime'2026-06-16T00:00:00')").json()["value"]
    per_link = {}
    for row in now:
        per_link[row[contract]] = per_link.get(row[contract], 0) + row["СуммаBalance"]
    assert before_any == [] and set(per_link.values()) >= {30000, 10000}
    condition = f"{profile['price.price_type']} eq guid''{onec.refs['vip']}''"
    vip = get(onec, f"{profile['price.register']}/SliceLast(Period=datetime'2026-06-15T00:00:00',"
                    f"Condition='{condition}')").json()["value"]
    assert sorted(r["Цена"] for r in vip) == [1200, 1800]


def test_without_json_asked_for_the_answer_is_atom(onec_bp):
    answer = requests.get(onec_bp.url + "Catalog_Контрагенты", auth=(onec_bp.user, onec_bp.password),
                          headers={"Accept": "application/atom+xml"}, timeout=10)
    assert answer.headers["Content-Type"].startswith("application/atom+xml")


def test_every_save_gives_an_object_a_new_data_version_and_only_a_save_does(onec_bp):
    entity, ref = "Document_ПоступлениеНаРасчетныйСчет", onec_bp.refs["pay:N-1:jun"]

    def version():
        return get(onec_bp, f"{entity}(guid'{ref}')").json()["DataVersion"]

    versions = [version()]
    onec_bp.edit(entity, ref, СуммаДокумента=7000)
    versions.append(version())
    assert requests.post(onec_bp.url + f"{entity}(guid'{ref}')/Unpost",
                         auth=(onec_bp.user, onec_bp.password), timeout=10).status_code == 200
    versions.append(version())
    onec_bp.damage(entity, ref, "Комментарий", "испорчено в пути")
    assert version() == versions[-1] and len(set(versions)) == 3
    every = [r["DataVersion"] for r in get(onec_bp, entity).json()["value"]]
    assert len(set(every)) == len(every)


@pytest.mark.parametrize("profile", ["ut11", "ut114"])
def test_ut_refuses_the_names_the_sync_once_guessed(profile):
    double = seed(OneCOData(profile)).start()
    try:
        for entity, field in (("Catalog_ДоговорыКонтрагентов", "Owner_Key"),
                              ("Catalog_ДоговорыКонтрагентов", "ДоговорЗакрыт"),
                              ("Catalog_Номенклатура", "Услуга")):
            answer = get(double, entity, **{"$select": f"Ref_Key,{field}"})
            assert answer.status_code == 400 and field in answer.json()["odata.error"]["message"]["value"]
        real = get(double, "Catalog_ДоговорыКонтрагентов",
                   **{"$select": "Ref_Key,Контрагент_Key,ТипДоговора,Статус,ДатаОкончанияДействия"})
        assert real.status_code == 200 and {r["Статус"] for r in real.json()["value"]} == {
            "Действует", "Закрыт"}
    finally:
        double.stop()


def test_posting_an_incomplete_sale_is_refused_with_1cs_message(onec_bp):
    body = complete_bp_sale(onec_bp)
    body["Услуги"][0].pop("СчетДоходов_Key")
    del body["ВалютаДокумента_Key"]
    created = requests.post(onec_bp.url + "Document_РеализацияТоваровУслуг?$format=json", json=body,
                            auth=(onec_bp.user, onec_bp.password), timeout=10).json()
    posted = requests.post(onec_bp.url + f"Document_РеализацияТоваровУслуг(guid'{created['Ref_Key']}')/Post",
                           auth=(onec_bp.user, onec_bp.password), timeout=10)
    message = posted.json()["odata.error"]["message"]["value"]
    assert posted.status_code == 500 and message.startswith("Не удалось провести документ")
    assert '"ВалютаДокумента_Key"' in message and '"СчетДоходов_Key" в строке 1' in message
    assert onec_bp.find("Document_РеализацияТоваровУслуг", created["Ref_Key"])["Posted"] is False
