using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CouponDesk.Shared.Hosting;

/// <summary>
/// Validates an options class with data annotations and reports each failure under its configuration key
/// (<c>Database:ConnectionString is required</c>), so a start-up error tells the operator which key to fix.
/// Also refuses development secrets in Production.
/// </summary>
public sealed class SettingsValidator<TOptions>(string section, IHostEnvironment environment) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = new List<string>();
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        foreach (var result in results)
        {
            var member = result.MemberNames.FirstOrDefault() ?? "?";
            failures.Add($"{section}:{member}: {result.ErrorMessage}");
        }

        if (environment.IsProduction())
        {
            foreach (var property in typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetCustomAttribute<SecretAttribute>() is null)
                {
                    continue;
                }

                var values = property.GetValue(options) switch
                {
                    string single => [single],
                    IDictionary<string, string> map => map.Values,
                    _ => Array.Empty<string>(),
                };
                if (values.Any(v => v.Contains(SecretAttribute.DevelopmentPrefix, StringComparison.Ordinal)))
                {
                    failures.Add($"{section}:{property.Name}: holds the development default; set a real secret in production");
                }
            }
        }

        if (options is ISelfValidatingSettings self)
        {
            failures.AddRange(self.Validate().Select(problem => $"{section}:{problem}"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Cross-field checks that data annotations cannot express; each problem starts with the member name.</summary>
public interface ISelfValidatingSettings
{
    IEnumerable<string> Validate();
}
