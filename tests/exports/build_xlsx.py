"""Build the xlsx fixtures under tests/exports/.

Run from the repository root: ``.venv/bin/python tests/exports/build_xlsx.py``.
One ``build_*`` function per fixture; every number is written literally here
(invented content in the shape of the real download), so the totals stated in
the fixture's ``.yml`` stay fixed. ``main`` runs every ``build_*`` function.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent


def _q2(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def _pct(num: int, den: int) -> str:
    return f"{_q2(Decimal(num) * 100 / Decimal(den))}%" if den else "0.00%"


def build_jd_jingzhuntong_campaign_report_daily() -> Path:
    """京东营销 (京准通) 推广报表, campaigns by day.

    Shape: first sheet, one title line above the header, dates as YYYYMMDD text,
    a 合计 row (label in the 日期 column) below the data. See
    jd-jingzhuntong/campaign-report-daily.yml for what is confirmed.
    """
    header = [
        "日期",
        "账户名称",
        "营销场景",
        "推广计划",
        "计划ID",
        "展现数",
        "点击数",
        "点击率",
        "花费",
        "平均点击成本",
        "总订单行",
        "总订单金额",
        "总加购数",
        "下单新客数",
        "投产比",
    ]
    account = "星河家居京东自营旗舰店"
    # 日期, 营销场景, 推广计划, 计划ID, 展现数, 点击数, 花费, 总订单行, 总订单金额, 总加购数, 下单新客数
    rows = [
        (
            "20260901",
            "搜索快车",
            "秋冬床品-搜索词",
            "3300198811",
            43048,
            788,
            "661.92",
            28,
            "4109.84",
            36,
            16,
        ),
        (
            "20260901",
            "推荐广告",
            "秋冬床品-人群推荐",
            "3300198842",
            29771,
            782,
            "797.64",
            33,
            "6928.35",
            39,
            1,
        ),
        (
            "20260901",
            "搜索快车",
            "乳胶枕-爆款拉新",
            "3300198877",
            16563,
            212,
            "269.24",
            5,
            "658.95",
            30,
            4,
        ),
        (
            "20260902",
            "搜索快车",
            "秋冬床品-搜索词",
            "3300198811",
            36060,
            529,
            "751.18",
            29,
            "4337.24",
            42,
            28,
        ),
        (
            "20260902",
            "推荐广告",
            "秋冬床品-人群推荐",
            "3300198842",
            18056,
            301,
            "391.30",
            10,
            "1467.50",
            22,
            2,
        ),
        (
            "20260902",
            "搜索快车",
            "乳胶枕-爆款拉新",
            "3300198877",
            24397,
            517,
            "610.06",
            11,
            "2721.29",
            41,
            7,
        ),
        (
            "20260903",
            "搜索快车",
            "秋冬床品-搜索词",
            "3300198811",
            21237,
            626,
            "644.78",
            19,
            "2640.81",
            24,
            3,
        ),
        (
            "20260903",
            "推荐广告",
            "秋冬床品-人群推荐",
            "3300198842",
            38182,
            1013,
            "1752.49",
            39,
            "5077.41",
            49,
            6,
        ),
        (
            "20260903",
            "搜索快车",
            "乳胶枕-爆款拉新",
            "3300198877",
            34341,
            628,
            "1262.28",
            18,
            "2406.06",
            43,
            6,
        ),
        (
            "20260904",
            "搜索快车",
            "秋冬床品-搜索词",
            "3300198811",
            31034,
            362,
            "445.26",
            18,
            "3333.60",
            24,
            13,
        ),
        (
            "20260904",
            "推荐广告",
            "秋冬床品-人群推荐",
            "3300198842",
            12310,
            128,
            "202.24",
            5,
            "964.60",
            33,
            2,
        ),
        (
            "20260904",
            "搜索快车",
            "乳胶枕-爆款拉新",
            "3300198877",
            37298,
            692,
            "1494.72",
            39,
            "5941.65",
            47,
            27,
        ),
        (
            "20260905",
            "搜索快车",
            "秋冬床品-搜索词",
            "3300198811",
            40905,
            1215,
            "1834.65",
            42,
            "4580.10",
            60,
            39,
        ),
        (
            "20260905",
            "推荐广告",
            "秋冬床品-人群推荐",
            "3300198842",
            20013,
            349,
            "425.78",
            14,
            "2993.62",
            44,
            0,
        ),
        (
            "20260905",
            "搜索快车",
            "乳胶枕-爆款拉新",
            "3300198877",
            12914,
            364,
            "728.00",
            8,
            "1381.84",
            17,
            3,
        ),
        (
            "20260906",
            "搜索快车",
            "秋冬床品-搜索词",
            "3300198811",
            23613,
            618,
            "766.32",
            17,
            "2912.95",
            39,
            0,
        ),
        (
            "20260906",
            "推荐广告",
            "秋冬床品-人群推荐",
            "3300198842",
            44510,
            1326,
            "1524.90",
            77,
            "8179.71",
            101,
            23,
        ),
        (
            "20260906",
            "搜索快车",
            "乳胶枕-爆款拉新",
            "3300198877",
            36266,
            782,
            "774.18",
            17,
            "1746.92",
            31,
            3,
        ),
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "推广报表"
    ws.append(["推广报表 数据时间：2026-09-01 至 2026-09-06"])
    ws.append(header)
    for day, scene, name, cid, imp, clk, cost, orders, gmv, cart, new in rows:
        cost_d, gmv_d = Decimal(cost), Decimal(gmv)
        ws.append(
            [
                day,
                account,
                scene,
                name,
                cid,
                imp,
                clk,
                _pct(clk, imp),
                float(cost_d),
                float(_q2(cost_d / clk)),
                orders,
                float(gmv_d),
                cart,
                new,
                float(_q2(gmv_d / cost_d)),
            ]
        )
    imp_t = sum(r[4] for r in rows)
    clk_t = sum(r[5] for r in rows)
    cost_t = sum(Decimal(r[6]) for r in rows)
    orders_t = sum(r[7] for r in rows)
    gmv_t = sum(Decimal(r[8]) for r in rows)
    ws.append(
        [
            "合计",
            "",
            "",
            "",
            "",
            imp_t,
            clk_t,
            _pct(clk_t, imp_t),
            float(cost_t),
            float(_q2(cost_t / clk_t)),
            orders_t,
            float(gmv_t),
            sum(r[9] for r in rows),
            sum(r[10] for r in rows),
            float(_q2(gmv_t / cost_t)),
        ]
    )
    path = HERE / "jd-jingzhuntong" / "campaign-report-daily.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _thousands(value: Decimal | int) -> str:
    """Text as the 巨量 exports write it: 12,345 / 1,234.56."""
    return f"{value:,}" if isinstance(value, int) else f"{_q2(value):,}"


def build_toutiao_legacy_group_plan_daily() -> Path:
    """今日头条 / 巨量引擎 1.0 (ad.oceanengine.com, 老版) report: 广告组 x 广告计划 by day.

    Shape: xlsx, header on the first row, no preamble, no totals row, 时间 as
    YYYY-MM-DD text, counts and 消耗 as numbers, rates as "1.23%" text, 转化成本
    "-" without conversions. 广告组 is the campaign level, 广告计划 the ad group.
    See toutiao-legacy/group-plan-daily.yml for what is confirmed.
    """
    # fmt: off
    header = [
        "时间", "广告组", "广告计划", "展示数", "点击数", "点击率", "平均点击单价",
        "平均千次展现费用", "消耗", "转化数", "转化成本", "转化率",
    ]
    # 时间, 广告组, 广告计划, 展示数, 点击数, 消耗 (分), 转化数
    rows = [
        ("2026-09-07", "头条-秋季新品推广", "新品-信息流-男性", 15341, 336, 25918, 10),
        ("2026-09-07", "头条-秋季新品推广", "新品-信息流-女性", 22247, 499, 79276, 5),
        ("2026-09-07", "头条-会员拉新", "拉新-表单-通投", 14009, 467, 65028, 28),
        ("2026-09-08", "头条-秋季新品推广", "新品-信息流-男性", 17404, 330, 31238, 20),
        ("2026-09-08", "头条-秋季新品推广", "新品-信息流-女性", 19867, 363, 32344, 19),
        ("2026-09-08", "头条-会员拉新", "拉新-表单-通投", 33286, 850, 114549, 0),
        ("2026-09-09", "头条-秋季新品推广", "新品-信息流-男性", 41183, 1441, 161948, 64),
        ("2026-09-09", "头条-秋季新品推广", "新品-信息流-女性", 11888, 221, 28788, 9),
        ("2026-09-09", "头条-会员拉新", "拉新-表单-通投", 32413, 644, 28246, 31),
        ("2026-09-10", "头条-秋季新品推广", "新品-信息流-男性", 10665, 174, 14090, 5),
        ("2026-09-10", "头条-秋季新品推广", "新品-信息流-女性", 19269, 503, 40540, 18),
        ("2026-09-10", "头条-会员拉新", "拉新-表单-通投", 28409, 891, 110587, 30),
    ]
    # fmt: on
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(header)
    for day, group, plan, imp, clk, cents, conv in rows:
        cost = Decimal(cents) / 100
        ws.append(
            [
                day,
                group,
                plan,
                imp,
                clk,
                _pct(clk, imp),
                float(_q2(cost / clk)),
                float(_q2(cost * 1000 / imp)),
                float(cost),
                conv,
                float(_q2(cost / conv)) if conv else "-",
                _pct(conv, clk),
            ]
        )
    path = HERE / "toutiao-legacy" / "group-plan-daily.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def build_qianchuan_plan_daily() -> Path:
    """巨量千川 推广数据 download: 计划 by day (整体 metrics).

    Shape: xlsx, header on the first row, a 全部 row (label in the 日期 column,
    "-" in the other dimension cells) before the data rows, amounts and
    展现/点击 counts as text with thousands separators, order counts and ROI as
    numbers, rates as "1.20%" text, "-" where a cost is undefined. See
    qianchuan/plan-daily.yml for what is confirmed.
    """
    # fmt: off
    header = [
        "日期", "计划名称", "计划ID", "整体消耗", "整体展现次数", "整体点击次数", "整体点击率",
        "整体转化率", "整体成交订单数", "整体成交金额", "整体支付ROI", "整体成交订单成本",
        "用户实际支付金额", "净成交金额", "净成交订单数",
    ]
    # 日期, 计划名称, 计划ID, 整体消耗 (分), 展现, 点击, 成交订单数, 成交金额 (分),
    # 用户实际支付金额 (分), 净成交金额 (分), 净成交订单数
    rows = [
        ("2026-09-01", "直播间-秋冬新品-成交", "1809123456789012", 557929, 202298, 2623, 71, 757885, 698439, 736536, 69),
        ("2026-09-01", "商品卡-保温杯-支付ROI", "1809123456789345", 640398, 175181, 3404, 138, 959522, 871852, 896944, 129),
        ("2026-09-02", "直播间-秋冬新品-成交", "1809123456789012", 382634, 188029, 2523, 89, 973913, 942305, 973913, 89),
        ("2026-09-02", "商品卡-保温杯-支付ROI", "1809123456789345", 441730, 89376, 3512, 89, 979486, 939545, 957475, 87),
        ("2026-09-03", "直播间-秋冬新品-成交", "1809123456789012", 167585, 117515, 1198, 46, 278234, 262250, 272185, 45),
        ("2026-09-03", "商品卡-保温杯-支付ROI", "1809123456789345", 263583, 203234, 3147, 33, 421752, 392938, 383410, 30),
        ("2026-09-04", "直播间-秋冬新品-成交", "1809123456789012", 42222, 42177, 516, 7, 90420, 83079, 90420, 7),
        ("2026-09-04", "商品卡-保温杯-支付ROI", "1809123456789345", 898055, 225687, 4499, 0, 0, 0, 0, 0),
        ("2026-09-05", "直播间-秋冬新品-成交", "1809123456789012", 128972, 41680, 791, 8, 80124, 72482, 80124, 8),
        ("2026-09-05", "商品卡-保温杯-支付ROI", "1809123456789345", 1148899, 216066, 4674, 191, 2640221, 2545034, 2529635, 183),
    ]
    # fmt: on

    def line(day, name, pid, cents, imp, clk, orders, gmv_c, pay_c, net_c, net_orders):
        cost, gmv = Decimal(cents) / 100, Decimal(gmv_c) / 100
        return [
            day,
            name,
            pid,
            _thousands(cost),
            _thousands(imp),
            _thousands(clk),
            _pct(clk, imp),
            _pct(orders, clk),
            orders,
            _thousands(gmv),
            float(_q2(gmv / cost)),
            _thousands(cost / orders) if orders else "-",
            _thousands(Decimal(pay_c) / 100),
            _thousands(Decimal(net_c) / 100),
            net_orders,
        ]

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(header)
    ws.append(line("全部", "-", "-", *(sum(r[i] for r in rows) for i in range(3, 11))))
    for row in rows:
        ws.append(line(*row))
    path = HERE / "qianchuan" / "plan-daily.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def main() -> None:
    for name, func in sorted(globals().items()):
        if name.startswith("build_") and callable(func):
            print(func())


if __name__ == "__main__":
    main()
