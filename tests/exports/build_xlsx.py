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
        "日期", "账户名称", "营销场景", "推广计划", "计划ID", "展现数", "点击数", "点击率",
        "花费", "平均点击成本", "总订单行", "总订单金额", "总加购数", "下单新客数", "投产比",
    ]
    account = "星河家居京东自营旗舰店"
    # 日期, 营销场景, 推广计划, 计划ID, 展现数, 点击数, 花费, 总订单行, 总订单金额, 总加购数, 下单新客数
    rows = [
        ("20260901", "搜索快车", "秋冬床品-搜索词", "3300198811", 43048, 788, "661.92", 28, "4109.84", 36, 16),
        ("20260901", "推荐广告", "秋冬床品-人群推荐", "3300198842", 29771, 782, "797.64", 33, "6928.35", 39, 1),
        ("20260901", "搜索快车", "乳胶枕-爆款拉新", "3300198877", 16563, 212, "269.24", 5, "658.95", 30, 4),
        ("20260902", "搜索快车", "秋冬床品-搜索词", "3300198811", 36060, 529, "751.18", 29, "4337.24", 42, 28),
        ("20260902", "推荐广告", "秋冬床品-人群推荐", "3300198842", 18056, 301, "391.30", 10, "1467.50", 22, 2),
        ("20260902", "搜索快车", "乳胶枕-爆款拉新", "3300198877", 24397, 517, "610.06", 11, "2721.29", 41, 7),
        ("20260903", "搜索快车", "秋冬床品-搜索词", "3300198811", 21237, 626, "644.78", 19, "2640.81", 24, 3),
        ("20260903", "推荐广告", "秋冬床品-人群推荐", "3300198842", 38182, 1013, "1752.49", 39, "5077.41", 49, 6),
        ("20260903", "搜索快车", "乳胶枕-爆款拉新", "3300198877", 34341, 628, "1262.28", 18, "2406.06", 43, 6),
        ("20260904", "搜索快车", "秋冬床品-搜索词", "3300198811", 31034, 362, "445.26", 18, "3333.60", 24, 13),
        ("20260904", "推荐广告", "秋冬床品-人群推荐", "3300198842", 12310, 128, "202.24", 5, "964.60", 33, 2),
        ("20260904", "搜索快车", "乳胶枕-爆款拉新", "3300198877", 37298, 692, "1494.72", 39, "5941.65", 47, 27),
        ("20260905", "搜索快车", "秋冬床品-搜索词", "3300198811", 40905, 1215, "1834.65", 42, "4580.10", 60, 39),
        ("20260905", "推荐广告", "秋冬床品-人群推荐", "3300198842", 20013, 349, "425.78", 14, "2993.62", 44, 0),
        ("20260905", "搜索快车", "乳胶枕-爆款拉新", "3300198877", 12914, 364, "728.00", 8, "1381.84", 17, 3),
        ("20260906", "搜索快车", "秋冬床品-搜索词", "3300198811", 23613, 618, "766.32", 17, "2912.95", 39, 0),
        ("20260906", "推荐广告", "秋冬床品-人群推荐", "3300198842", 44510, 1326, "1524.90", 77, "8179.71", 101, 23),
        ("20260906", "搜索快车", "乳胶枕-爆款拉新", "3300198877", 36266, 782, "774.18", 17, "1746.92", 31, 3),
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "推广报表"
    ws.append(["推广报表 数据时间：2026-09-01 至 2026-09-06"])
    ws.append(header)
    for day, scene, name, cid, imp, clk, cost, orders, gmv, cart, new in rows:
        cost_d, gmv_d = Decimal(cost), Decimal(gmv)
        ws.append([
            day, account, scene, name, cid, imp, clk, _pct(clk, imp),
            float(cost_d), float(_q2(cost_d / clk)), orders, float(gmv_d), cart, new,
            float(_q2(gmv_d / cost_d)),
        ])
    imp_t = sum(r[4] for r in rows)
    clk_t = sum(r[5] for r in rows)
    cost_t = sum(Decimal(r[6]) for r in rows)
    orders_t = sum(r[7] for r in rows)
    gmv_t = sum(Decimal(r[8]) for r in rows)
    ws.append([
        "合计", "", "", "", "", imp_t, clk_t, _pct(clk_t, imp_t), float(cost_t),
        float(_q2(cost_t / clk_t)), orders_t, float(gmv_t), sum(r[9] for r in rows),
        sum(r[10] for r in rows), float(_q2(gmv_t / cost_t)),
    ])
    path = HERE / "jd-jingzhuntong" / "campaign-report-daily.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def main() -> None:
    for name, func in sorted(globals().items()):
        if name.startswith("build_") and callable(func):
            print(func())


if __name__ == "__main__":
    main()
