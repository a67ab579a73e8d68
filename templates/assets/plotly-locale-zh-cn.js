/* Planbook: the zh-CN locale for plotly.js, written for this project and served with the
 * site (no CDN). Charts of Chinese plans select it through their config ({locale: "zh-CN"});
 * English plans keep plotly's built-in en-US. Date ticks read 11月21日 / 2026年10月 / 2026年;
 * amounts are ticked at build time in the tables' 万 / 亿 format (planbook/format.py). */
(function () {
  "use strict";
  if (!window.Plotly || typeof window.Plotly.register !== "function") return;
  window.Plotly.register({
    moduleType: "locale",
    name: "zh-CN",
    dictionary: {
      "Autoscale": "自动缩放",
      "Box Select": "矩形选择",
      "Click to enter Colorscale title": "点击输入色标标题",
      "Click to enter Plot title": "点击输入图表标题",
      "Click to enter Plot subtitle": "点击输入图表副标题",
      "Click to enter X axis title": "点击输入 X 轴标题",
      "Click to enter Y axis title": "点击输入 Y 轴标题",
      "Compare data on hover": "悬停时比较数据",
      "Double-click on legend to isolate one trace": "双击图例只显示这一项",
      "Double-click to zoom back out": "双击还原缩放",
      "Download plot": "下载图表",
      "Download plot as a PNG": "下载为 PNG 图片",
      "Download plot as JSON": "下载为 JSON",
      "Image download succeeded": "图片已下载",
      "JSON download succeeded": "JSON 已下载",
      "Lasso Select": "套索选择",
      "Pan": "平移",
      "Preparing image - this may take a few seconds": "正在生成图片，请稍候",
      "Produced with Plotly.js": "由 Plotly.js 绘制",
      "Reset": "重置",
      "Reset axes": "重置坐标轴",
      "Reset view": "重置视图",
      "Reset views": "重置视图",
      "Show closest data on hover": "悬停时显示最近的数据",
      "Sorry, there was a problem downloading your image!": "抱歉，图片下载失败！",
      "Sorry, there was a problem downloading your JSON file!": "抱歉，JSON 文件下载失败！",
      "Toggle Spike Lines": "显示或隐藏辅助线",
      "Toggle show closest data on hover": "切换悬停时显示最近的数据",
      "Zoom": "缩放",
      "Zoom in": "放大",
      "Zoom out": "缩小",
      "close:": "收盘：",
      "high:": "最高：",
      "low:": "最低：",
      "open:": "开盘：",
      "max:": "最大值：",
      "min:": "最小值：",
      "mean:": "平均值：",
      "median:": "中位数：",
      "q1:": "下四分位：",
      "q3:": "上四分位：",
      "lower fence:": "下限：",
      "upper fence:": "上限：",
      "new text": "新文本",
      "trace": "数据系列"
    },
    format: {
      days: ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
      shortDays: ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
      months: ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"],
      shortMonths: ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
      periods: ["上午", "下午"],
      date: "%Y-%m-%d",
      year: "%Y年",
      month: "%Y年%-m月",
      dayMonth: "%-m月%-d日",
      dayMonthYear: "%Y年%-m月%-d日",
      decimal: ".",
      thousands: ",",
      grouping: [3],
      currency: ["¥", ""]
    }
  });
})();
