using System.Text.RegularExpressions;

namespace CouponDesk.Features.Reconciliation;

/// <summary>The body of <c>POST /api/in-doubt-orders/{id}/settle</c>.</summary>
public sealed record SettleRequest(string? Outcome, string? Memo, IReadOnlyList<string?>? CouponNumbers);

/// <summary>A settlement that passed validation: the outcome, the trimmed memo and the distinct, normalised numbers.</summary>
public sealed record ValidSettlement(string Outcome, string Memo, IReadOnlyList<string> CouponNumbers);

/// <summary>
/// Checks a settlement before anything is touched (a rejected request changes nothing): outcome one of the two,
/// memo required (≤ 500 characters, the column), numbers only with ISSUED, at most 10 (CREATE_CNT ≤ 10), each a
/// COUFUN BARCODE_NUM (1–30 printable ASCII, spaces and hyphens typed for readability removed), no duplicates.
/// </summary>
public static partial class SettleValidator
{
    public const string NotIssued = "NOT_ISSUED";
    public const string Issued = "ISSUED";
    public const int MaxMemo = 500;
    public const int MaxNumbers = 10;

    [GeneratedRegex("^[\\x21-\\x7E]{1,30}$")]
    private static partial Regex BarcodeFormat();

    public static (ValidSettlement? Valid, Dictionary<string, string[]> Errors) Check(SettleRequest? request)
    {
        var errors = new Dictionary<string, string[]>();
        var outcome = request?.Outcome?.Trim();
        if (outcome is not (NotIssued or Issued))
        {
            errors["outcome"] = ["정리 결과를 선택해 주세요 (미발급 확인 또는 발급됨 확인)."];
        }

        var memo = request?.Memo?.Trim();
        if (string.IsNullOrEmpty(memo))
        {
            errors["memo"] = ["메모를 입력해 주세요."];
        }
        else if (memo.Length > MaxMemo)
        {
            errors["memo"] = [$"메모는 {MaxMemo}자까지 입력할 수 있습니다."];
        }
        else if (Web.Validation.FreeText.Check(memo, "메모", multiline: true) is { } bad)
        {
            errors["memo"] = [bad];
        }

        var numbers = new List<string>();
        var given = request?.CouponNumbers ?? [];
        if (given.Count > 0 && outcome == NotIssued)
        {
            errors["couponNumbers"] = ["미발급 확인에는 쿠폰번호를 입력하지 않습니다."];
        }
        else if (given.Count > MaxNumbers)
        {
            errors["couponNumbers"] = [$"쿠폰번호는 최대 {MaxNumbers}개까지 입력할 수 있습니다."];
        }
        else
        {
            for (var i = 0; i < given.Count; i++)
            {
                var number = Normalise(given[i]);
                if (number is null || !BarcodeFormat().IsMatch(number))
                {
                    errors[$"couponNumbers[{i}]"] = ["쿠폰번호 형식이 올바르지 않습니다 (영문·숫자 30자 이내)."];
                }
                else if (numbers.Contains(number, StringComparer.Ordinal))
                {
                    errors[$"couponNumbers[{i}]"] = ["같은 쿠폰번호가 두 번 입력되었습니다."];
                }
                else
                {
                    numbers.Add(number);
                }
            }
        }

        return errors.Count > 0 ? (null, errors) : (new ValidSettlement(outcome!, memo!, numbers), errors);
    }

    /// <summary>Spaces and hyphens people type for readability are not part of a BARCODE_NUM.</summary>
    private static string? Normalise(string? number) => number?.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Trim();
}
