using CouponDesk.Features.Campaigns.Products;
using CouponDesk.Features.Campaigns.SenderNumbers;
using CouponDesk.Web.Errors;
using MySqlConnector;

namespace CouponDesk.Features.Pipeline.Scheduling;

/// <summary>
/// C5 pre-flight (spec §4.1): the product is still on sale in the synced catalog, the sender number is still registered,
/// and no cancel request holds the campaign (§1.3 item 6). The same checks give the dashboard's readiness warnings
/// (§3.8 예정 캠페인: 상품 판매중지, 발신번호 미등록, 취소 승인 대기).
/// </summary>
public sealed class StartPreflight(IProductCatalog catalog, ISenderNumbers senderNumbers)
{
    public async Task<PreflightResult> CheckAsync(MySqlConnection c, MySqlTransaction? tx, long campaignId, string? goodsId, string? senderNumber, DateTime nowUtc, CancellationToken ct)
    {
        switch (await CancelApprovals.StateAsync(c, tx, campaignId, nowUtc, ct))
        {
            case CancelRequestState.Pending:
                return PreflightResult.Hold("CANCEL_PENDING", "취소 승인 대기: 취소 승인 요청이 처리될 때까지 시작하지 않습니다.");
            case CancelRequestState.Expired:
                return PreflightResult.Stop(CancelApprovals.ExpiredCode, CancelApprovals.ExpiredReason);
        }

        var product = string.IsNullOrEmpty(goodsId) ? null : await catalog.FindAsync(goodsId, ct);
        if (product is null)
        {
            return PreflightResult.Stop("PRODUCT_UNKNOWN", "상품 확인 불가: 상품이 카탈로그에 없어 시작하지 않았습니다. 상품을 확인한 뒤 재개하거나 취소해 주세요.");
        }

        if (!product.OnSale)
        {
            return PreflightResult.Stop("PRODUCT_DISCONTINUED", "상품 판매중지: 선택한 상품이 판매 중지되어 시작하지 않았습니다. 취소 후 다른 상품으로 다시 등록해 주세요.");
        }

        if (string.IsNullOrEmpty(senderNumber) || !await senderNumbers.IsRegisteredAsync(senderNumber, ct))
        {
            return PreflightResult.Stop("SENDER_UNREGISTERED", "발신번호 미등록: 발신번호가 등록되어 있지 않아 시작하지 않았습니다. 설정에서 발신번호를 확인한 뒤 재개해 주세요.");
        }

        return PreflightResult.Go;
    }
}

public enum PreflightVerdict
{
    Go,
    Hold,
    Stop,
}

/// <summary>Start, wait (held by a cancel request) or stop; a hold or a stop says why as a <see cref="Refusal"/> (its code is the stop code).</summary>
public sealed record PreflightResult(PreflightVerdict Verdict, Refusal? Why)
{
    public static readonly PreflightResult Go = new(PreflightVerdict.Go, null);

    public static PreflightResult Hold(string code, string reason) => new(PreflightVerdict.Hold, Refusal.Conflict(code, reason));

    public static PreflightResult Stop(string code, string reason) => new(PreflightVerdict.Stop, Refusal.Conflict(code, reason));
}
