"""Where customers live: provinces, cities, branches and real 6-digit region codes.

Province names are spelled exactly as ``cdp.idcard.PROVINCE_CODES`` spells them, so
an ID number's region prefix and the customer's province agree. ``weight`` is a
rough share of a private-wealth client base (coastal tier-1 cities dominate).
"""

from __future__ import annotations

from dataclasses import dataclass

from cdp.idcard import PROVINCE_CODES


@dataclass(frozen=True)
class City:
    province: str
    name: str
    branch: str
    weight: int
    regions: tuple[str, ...]


def _city(name: str, weight: int, branch: str | None, *regions: str) -> City:
    province = PROVINCE_CODES[regions[0][:2]]
    return City(province, name, branch or f"{name.removesuffix('市')}分行", weight, regions)


# Cities with their own branch name it implicitly; the others say whose branch serves them.
CITIES: tuple[City, ...] = (
    _city("北京市", 120, None, "110101", "110102", "110105", "110106", "110108"),
    _city("上海市", 130, None, "310101", "310104", "310105", "310106", "310115"),
    _city("天津市", 25, None, "120101", "120103", "120104"),
    _city("重庆市", 25, None, "500103", "500106", "500112"),
    _city("广州市", 60, None, "440103", "440104", "440106"),
    _city("深圳市", 80, None, "440303", "440304", "440305"),
    _city("东莞市", 15, "广州分行", "441900"),
    _city("佛山市", 15, "广州分行", "440604", "440606"),
    _city("珠海市", 8, "深圳分行", "440402"),
    _city("杭州市", 55, None, "330102", "330105", "330106"),
    _city("宁波市", 25, None, "330203", "330212"),
    _city("温州市", 15, "杭州分行", "330302", "330304"),
    _city("南京市", 40, None, "320102", "320104", "320106"),
    _city("苏州市", 40, None, "320505", "320506", "320508"),
    _city("无锡市", 18, "苏州分行", "320205", "320211"),
    _city("常州市", 10, "南京分行", "320402", "320411"),
    _city("成都市", 35, None, "510104", "510105", "510107"),
    _city("武汉市", 28, None, "420102", "420103", "420106"),
    _city("西安市", 20, None, "610102", "610103", "610113"),
    _city("长沙市", 18, None, "430102", "430103", "430104"),
    _city("郑州市", 16, None, "410102", "410105"),
    _city("济南市", 14, None, "370102", "370103"),
    _city("青岛市", 18, None, "370202", "370203", "370212"),
    _city("福州市", 14, None, "350102", "350103"),
    _city("厦门市", 14, None, "350203", "350206"),
    _city("泉州市", 9, "厦门分行", "350502", "350503"),
    _city("合肥市", 12, None, "340102", "340104"),
    _city("南昌市", 8, None, "360102", "360103"),
    _city("沈阳市", 10, None, "210102", "210103"),
    _city("大连市", 10, None, "210202", "210203"),
    _city("长春市", 6, None, "220102", "220103"),
    _city("哈尔滨市", 6, None, "230102", "230103"),
    _city("石家庄市", 8, None, "130102", "130104"),
    _city("太原市", 6, "石家庄分行", "140105", "140106"),
    _city("呼和浩特市", 4, "北京分行", "150102", "150103"),
    _city("南宁市", 7, None, "450102", "450103"),
    _city("海口市", 5, None, "460105", "460106"),
    _city("贵阳市", 5, "重庆分行", "520102", "520103"),
    _city("昆明市", 8, None, "530102", "530103"),
    _city("兰州市", 4, "西安分行", "620102", "620103"),
    _city("西宁市", 2, "西安分行", "630102", "630103"),
    _city("银川市", 2, "西安分行", "640104", "640105"),
    _city("乌鲁木齐市", 3, None, "650102", "650103"),
    _city("拉萨市", 1, "成都分行", "540102"),
)

BRANCHES: tuple[str, ...] = tuple(dict.fromkeys(c.branch for c in CITIES))
CITY_WEIGHTS: tuple[int, ...] = tuple(c.weight for c in CITIES)
