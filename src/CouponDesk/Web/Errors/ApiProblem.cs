namespace CouponDesk.Web.Errors;

/// <summary>
/// An error answer in RFC 9457 form: a stable English <see cref="Code"/> that clients switch on, and a Korean
/// <see cref="Detail"/> an operator can act on. Field errors map a request field (camelCase) to Korean messages.
/// </summary>
public sealed record ApiProblem(int Status, string Code, string Title, string Detail)
{
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    /// <summary>More members of the answer, e.g. the current state of what a stale request wanted to change (camelCase keys).</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }

    public IResult ToResult() => Results.Extensions.Problem(this);

    public static ApiProblem Validation(IReadOnlyDictionary<string, string[]> errors, string detail = "입력값을 확인해 주세요.") =>
        new(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, "Validation failed", detail) { Errors = errors };

    public static ApiProblem Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] }, message);

    public static ApiProblem NotFound(string detail = "요청한 대상을 찾을 수 없습니다.") =>
        new(StatusCodes.Status404NotFound, ErrorCodes.NotFound, "Not found", detail);

    public static ApiProblem Conflict(string code, string detail) =>
        new(StatusCodes.Status409Conflict, code, "Conflict", detail);

    public static ApiProblem Forbidden() =>
        new(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "Forbidden", "권한이 없습니다.");
}
