namespace CouponDesk.Hosting;

/// <summary>
/// A feature's HTTP endpoints. Each feature registers one module (<c>services.AddEndpointModule&lt;T&gt;()</c>) and the
/// host maps them all when the process has the <c>web</c> role, so Program stays a list of features.
/// </summary>
public interface IEndpointModule
{
    void Map(IEndpointRouteBuilder app);
}

public static class EndpointModuleRegistration
{
    public static IServiceCollection AddEndpointModule<TModule>(this IServiceCollection services)
        where TModule : class, IEndpointModule =>
        services.AddSingleton<IEndpointModule, TModule>();
}
