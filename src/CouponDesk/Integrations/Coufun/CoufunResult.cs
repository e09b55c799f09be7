namespace CouponDesk.Integrations.Coufun;

/// <summary>
/// The answer to one COUFUN call: the outcome to switch on, the result code and message when an answer arrived,
/// the parsed value on success, and for failures without an answer a reason plus the raw body (masked) for diagnosis.
/// </summary>
public sealed record CoufunResult<T>(CoufunOutcome Outcome, CoufunApi Api)
    where T : class
{
    /// <summary>RESULT_CODE when COUFUN answered; null for transport failures.</summary>
    public string? ResultCode { get; init; }

    public string? ResultMessage { get; init; }

    public CoufunResultClass? ResultClass => ResultCode is null ? null : CoufunResultCodes.Classify(Api, ResultCode);

    /// <summary>The parsed answer on <see cref="CoufunOutcome.Success"/> (null otherwise).</summary>
    public T? Value { get; init; }

    /// <summary>Create: the TR_ID this call was made with (always set, so an in-doubt order can be recorded).</summary>
    public string? TrId { get; init; }

    /// <summary>What went wrong when no usable answer came back (English, no personal data).</summary>
    public string? Failure { get; init; }

    /// <summary>The body as received (coupon and phone numbers masked, at most 4,000 characters), for transport failures.</summary>
    public string? MaskedRawResponse { get; init; }

    /// <summary>An operator-facing Korean reason for a non-success.</summary>
    public string DescribeKo() => ResultCode is { } code
        ? $"[{code}] {CoufunResultCodes.DescribeKo(Api, code)}"
        : Outcome == CoufunOutcome.InDoubt
            ? "공급사 응답을 받지 못했습니다 (발급 여부 확인 필요)."
            : "공급사와 통신하지 못했습니다. 잠시 후 다시 시도합니다.";
}
