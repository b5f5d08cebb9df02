using System.Diagnostics.CodeAnalysis;

namespace Doppel;

/// <summary>The outcome of a domain operation: a value, or a <see cref="DoppelError"/>.</summary>
public readonly record struct Result<T>
{
    private Result(T? value, DoppelError? error) => (Value, Error) = (value, error);

    public T? Value { get; }

    public DoppelError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    public static Result<T> Ok(T value) => new(value, null);

    public static Result<T> Fail(DoppelError error) => new(default, error);

    public static Result<T> Fail(string code, string message) => new(default, new DoppelError(code, message));

    public static implicit operator Result<T>(DoppelError error) => Fail(error);
}
