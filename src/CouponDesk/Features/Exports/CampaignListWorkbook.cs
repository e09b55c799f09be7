using CouponDesk.Data;
using CouponDesk.Features.Campaigns;
using CouponDesk.Shared.Time;
using CouponDesk.Web.Downloads;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace CouponDesk.Features.Exports;

/// <summary>발송조회 list with the current filters and order (spec §3.3.4 kind a); no personal data in it.</summary>
public sealed class CampaignListWorkbook(DbConnectionFactory connections)
{
    /// <summary>An export covers at most this many campaigns (a year of campaigns is far fewer).</summary>
    public const int MaxRows = 10_000;

    public async Task<int> WriteAsync(CampaignListQuery query, Stream output, CancellationToken ct)
    {
        var campaigns = await (query with { Cursor = null }).ReadAsync(connections, MaxRows, ct);
        var no = 0;
        var rows = campaigns.Select(c => new Dictionary<string, object?>
        {
            ["No"] = ++no,
            ["캠페인 번호"] = c.CampaignNo ?? c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["발송일시"] = c.SendAtUtc is { } at ? Kst.FormatMinute(at) : "",
            ["고객사"] = c.ClientName,
            ["담당자"] = c.SalesManager ?? "",
            ["이벤트명"] = c.EventName,
            ["상품명"] = c.ProductName ?? "",
            ["수량"] = c.RecipientCount,
            ["정상단가"] = c.ListPrice,
            ["합계"] = c.ListPrice is { } price ? (long)price * c.RecipientCount : null,
            // As on the page (D-DETAIL-9): a type-D date before issuance is an estimate from the send time.
            ["유효기간"] = c.ValidUntil is { } until ? until.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + (c.ValidUntilEstimated ? " (예상)" : "") : "",
            ["발송상태"] = CampaignStatus.Label(c.Status),
        }).ToList();
        await MiniExcel.SaveAsAsync(output, rows, sheetName: ExportFileNames.ListSheet, excelType: MiniExcelLibs.ExcelType.XLSX, cancellationToken: ct);
        return rows.Count;
    }
}
