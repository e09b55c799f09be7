using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Features.CampaignDetail;
using CouponDesk.Features.Campaigns;
using CouponDesk.Shared.Time;
using CouponDesk.Web.Downloads;
using Dapper;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace CouponDesk.Features.Exports;

/// <summary>
/// 발송상세 sheet of one campaign (spec §3.3.4): the UI's columns plus the added ones, one row per delivery item, masked
/// unless an ADMIN asked otherwise. Rows are read in batches of 1,000 and decrypted only to be masked.
/// </summary>
public sealed class CampaignDetailWorkbook(DbConnectionFactory connections, RecipientItems items)
{
    public sealed record Header(long Id, string? CampaignNo, string ClientName, string? SalesManager, string EventName, string? ProductName, int? ListPrice, string? SenderNumber, DateTime? SendAtUtc, int RecipientCount);

    public async Task<Header?> HeaderAsync(long campaignId, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Header>(new CommandDefinition(
            $"""
            SELECT id AS Id, campaign_no AS CampaignNo, client_name AS ClientName, sales_manager AS SalesManager, event_name AS EventName,
                   product_name AS ProductName, list_price AS ListPrice, sender_number AS SenderNumber, COALESCE(scheduled_at, start_at) AS SendAtUtc,
                   recipient_count AS RecipientCount
            FROM campaigns WHERE id = @campaignId AND deleted_at IS NULL AND status <> '{CampaignStatus.Draft}'
            """, new { campaignId }, cancellationToken: ct));
    }

    /// <summary>
    /// Streams the workbook into <paramref name="output"/>; returns the number of item rows. The rows are produced while
    /// MiniExcel writes them (1,000 items per read), never held all at once: a 20,000-row file costs a batch of memory.
    /// Blocks its thread between batches, so run it off the request path for large campaigns (the export job does).
    /// </summary>
    public async Task<int> WriteAsync(Header campaign, bool unmasked, Stream output, CancellationToken ct)
    {
        var count = 0;
        var sendAt = campaign.SendAtUtc is { } at ? Kst.FormatMinute(at) : "";
        IEnumerable<Dictionary<string, object?>> Rows()
        {
            foreach (var item in items.AllAsync(campaign.Id, unmasked, ct).ToBlockingEnumerable(ct))
            {
                count++;
                yield return new Dictionary<string, object?>
                {
                    ["No"] = item.No,
                    ["발송일시"] = sendAt,
                    ["고객사"] = campaign.ClientName,
                    ["담당자"] = campaign.SalesManager ?? "",
                    ["이벤트명"] = campaign.EventName,
                    ["주문ID"] = item.OrderId ?? "",
                    ["상품명"] = campaign.ProductName ?? "",
                    ["정상단가"] = campaign.ListPrice,
                    ["발신자번호"] = campaign.SenderNumber ?? "",
                    ["수신자번호"] = item.Phone,
                    ["발송상태"] = item.StatusLabel,
                    ["쿠폰번호"] = item.CouponNumber ?? "",
                    ["유효기간"] = item.ValidUntil ?? "",
                    ["쿠폰상태"] = item.CouponStatusLabel,
                    ["결과코드"] = item.ResultCode ?? "",
                    ["결과설명"] = item.ResultReason ?? "",
                    ["발송완료일시"] = item.DeliveredAt ?? "",
                    ["교환일시"] = item.ExchangedAt ?? "",
                    ["교환지점"] = item.ExchangeBranch ?? "",
                    ["재발송 횟수"] = item.Resends,
                    ["번호변경 여부"] = item.Status == "REPLACED" ? "Y" : "N",
                };
            }
        }

        await MiniExcel.SaveAsAsync(output, Rows(), sheetName: ExportFileNames.DetailSheet, excelType: MiniExcelLibs.ExcelType.XLSX, cancellationToken: ct);
        return count;
    }

    public static string Subject(Header campaign, int rows) =>
        string.Create(CultureInfo.InvariantCulture, $"캠페인 #{campaign.Id} ({rows}명)");
}
