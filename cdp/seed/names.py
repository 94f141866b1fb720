"""Chinese personal names with a realistic surname distribution.

Surname weights are per ten thousand people, rounded from the 2020 census ranking;
the long tail is folded into the listed names. Given names are one or two
characters drawn from pools that differ by gender, as most names still do.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from itertools import accumulate

_SURNAMES = (
    "王710 李706 张673 刘538 陈461 杨310 黄239 赵213 吴203 周199 徐161 孙151 马140 "
    "朱126 胡121 郭115 何112 林106 高100 罗100 郑97 梁89 谢81 宋76 唐73 许66 韩65 "
    "冯64 邓64 曹63 彭62 曾61 肖58 田56 董53 袁51 潘50 于49 蒋48 蔡47 余47 杜46 "
    "叶45 程44 苏42 魏41 吕41 丁40 任39 沈37 姚36 卢35 姜35 崔34 钟33 谭32 陆31 "
    "汪30 范30 金29 石28 廖28 贾27 夏26 韦25 付25 方24 白24 邹23 孟23 熊22 秦22 "
    "邱21 江21 尹20 薛20 闫19 段19 雷19 侯18 龙18 史17 陶17 黎16 贺16 顾16 毛15 "
    "郝15 龚14 邵14 万14 钱13 严13 覃13 武13 戴13 莫12 孔12 向12 汤11 欧阳5 上官1 司马1"
)
SURNAMES: tuple[str, ...] = tuple(s.rstrip("0123456789") for s in _SURNAMES.split())
SURNAME_WEIGHTS: tuple[int, ...] = tuple(
    int(s[len(n) :]) for s, n in zip(_SURNAMES.split(), SURNAMES, strict=True)
)
_CUM_SURNAME = list(accumulate(SURNAME_WEIGHTS))

MALE_CHARS = (
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳建国峰志文博晨轩睿泽然昊天海东兵"
    "成立新德永春荣庆祥毅"
)
FEMALE_CHARS = (
    "芳娜敏静丽艳娟霞秀玲桂英萍红燕婷雪琳晶颖慧佳欣怡梦悦璐倩丹莉洁琪思雨涵婧蕾嘉月楠瑶兰凤"
    "云珍淑洋晓"
)


def surname(rng: random.Random) -> str:
    return SURNAMES[bisect_right(_CUM_SURNAME, rng.random() * _CUM_SURNAME[-1])]


def given_name(rng: random.Random, gender: str) -> str:
    pool = MALE_CHARS if gender == "M" else FEMALE_CHARS
    if rng.random() < 0.3:
        return rng.choice(pool)
    return rng.choice(pool) + rng.choice(pool)


def full_name(rng: random.Random, gender: str, family: str | None = None) -> str:
    return (family or surname(rng)) + given_name(rng, gender)
