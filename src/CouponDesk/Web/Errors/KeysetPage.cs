namespace CouponDesk.Web.Errors;

/// <summary>The checks every keyset-paged list makes on its <c>cursor</c> (the last id seen) and <c>limit</c>, with one wording.</summary>
public static class KeysetPage
{
    public const string BadCursorMessage = "잘못된 페이지 위치입니다.";

    public static string LimitMessage(int maxLimit) => $"한 번에 1~{maxLimit}건까지 조회할 수 있습니다.";

    /// <summary>Adds the field errors of a cursor below 1 or a limit outside 1…<paramref name="maxLimit"/> (absent values are fine).</summary>
    public static void Check(IDictionary<string, string[]> errors, long? cursor, int? limit, int maxLimit)
    {
        if (cursor is < 1)
        {
            errors["cursor"] = [BadCursorMessage];
        }

        if (limit < 1 || limit > maxLimit)
        {
            errors["limit"] = [LimitMessage(maxLimit)];
        }
    }
}
