namespace CouponDesk.Web.Errors;

/// <summary>What kind of "no" a use case answered; <see cref="Refusal.ToProblem"/> is the one place it becomes an HTTP status.</summary>
public enum RefusalKind
{
    /// <summary>The target does not exist (404).</summary>
    NotFound,

    /// <summary>Who is asking could not be established (401).</summary>
    Unauthorized,

    /// <summary>The target is not in a state that allows it, or changed meanwhile (409).</summary>
    Conflict,

    /// <summary>The request's values are wrong (400 with field errors).</summary>
    Invalid,

    /// <summary>Asked too often; try later (429).</summary>
    TooManyRequests,
}

/// <summary>
/// Why a use case did not do what was asked: its kind, a stable English <see cref="Code"/> clients switch on, and the Korean
/// <see cref="Message"/> an operator can act on (with field errors for <see cref="RefusalKind.Invalid"/>). A refused request
/// changed nothing. Endpoints turn it into RFC 9457 problem details with <see cref="ToProblem"/>.
/// </summary>
public sealed record Refusal(RefusalKind Kind, string Code, string Message)
{
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    public static Refusal NotFound(string message = "요청한 대상을 찾을 수 없습니다.") => new(RefusalKind.NotFound, ErrorCodes.NotFound, message);

    public static Refusal Conflict(string code, string message) => new(RefusalKind.Conflict, code, message);

    public static Refusal Invalid(IReadOnlyDictionary<string, string[]> errors, string message = "입력값을 확인해 주세요.") =>
        new(RefusalKind.Invalid, ErrorCodes.ValidationFailed, message) { Errors = errors };

    public static Refusal TooManyRequests(string code, string message) => new(RefusalKind.TooManyRequests, code, message);

    public static Refusal Unauthorized(string code, string message) => new(RefusalKind.Unauthorized, code, message);

    /// <summary>The one mapping from a refusal to its problem details.</summary>
    public ApiProblem ToProblem() => Kind switch
    {
        RefusalKind.NotFound => ApiProblem.NotFound(Message) with { Code = Code, Errors = Errors },
        RefusalKind.Unauthorized => new ApiProblem(StatusCodes.Status401Unauthorized, Code, "Unauthorized", Message) { Errors = Errors },
        RefusalKind.Conflict => ApiProblem.Conflict(Code, Message) with { Errors = Errors },
        RefusalKind.Invalid => ApiProblem.Validation(Errors ?? new Dictionary<string, string[]>(), Message) with { Code = Code },
        _ => new ApiProblem(StatusCodes.Status429TooManyRequests, Code, "Too many requests", Message) { Errors = Errors },
    };

    public IResult ToResult() => ToProblem().ToResult();
}

/// <summary>A use case's typed answer when it has nothing to return: done, or a <see cref="Refusal"/>.</summary>
public sealed record Outcome(Refusal? Refusal)
{
    public static Outcome Ok { get; } = new((Refusal?)null);

    public bool Done => Refusal is null;

    public static implicit operator Outcome(Refusal refusal) => new(refusal);

    /// <summary>The answer of an endpoint: <paramref name="ok"/> when done, else the refusal's problem details.</summary>
    public IResult ToResult(Func<IResult> ok) => Refusal is { } r ? r.ToProblem().ToResult() : ok();
}

/// <summary>A use case's typed answer: its <see cref="Value"/>, or a <see cref="Refusal"/>.</summary>
public sealed record Outcome<T>(T? Value, Refusal? Refusal)
{
    public bool Done => Refusal is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Refusal refusal) => new(default, refusal);

    /// <summary>The answer of an endpoint: <paramref name="ok"/> of the value when done, else the refusal's problem details.</summary>
    public IResult ToResult(Func<T, IResult> ok) => Refusal is { } r ? r.ToProblem().ToResult() : ok(Value!);
}
