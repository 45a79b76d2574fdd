namespace Aurous.Client.Tests;

public class ErrorTableTests
{
    [Theory]
    [InlineData(404, "resource_not_found", "CharacterNotFound", AurousErrorCategory.ObjectNotFound)]
    [InlineData(400, "invalid_request", "InvalidRequest", AurousErrorCategory.InvalidArgument)]
    [InlineData(400, "invalid_request_error", "InvalidRequest", AurousErrorCategory.InvalidArgument)]
    [InlineData(401, "invalid_api_key", "AuthenticationFailed", AurousErrorCategory.AuthenticationError)]
    [InlineData(401, "missing_api_key", "AuthenticationFailed", AurousErrorCategory.AuthenticationError)]
    [InlineData(402, "insufficient_credits", "InsufficientCredits", AurousErrorCategory.QuotaExceeded)]
    [InlineData(409, "idempotency_key_in_use", "IdempotencyKeyInUse", AurousErrorCategory.ResourceExists)]
    [InlineData(409, "some_new_conflict", "Conflict", AurousErrorCategory.InvalidOperation)]
    [InlineData(429, "rate_limit_exceeded", "RateLimitExceeded", AurousErrorCategory.LimitsExceeded)]
    [InlineData(500, "internal_error", "ServerError", AurousErrorCategory.ResourceUnavailable)]
    [InlineData(503, null, "ServerError", AurousErrorCategory.ResourceUnavailable)]
    [InlineData(403, "invalid_url_token", "PermissionDenied", AurousErrorCategory.PermissionDenied)]
    [InlineData(403, "url_expired", "RefUrlExpired", AurousErrorCategory.PermissionDenied)]
    [InlineData(418, "teapot", "UnexpectedResponse", AurousErrorCategory.NotSpecified)]
    public void Maps_status_and_code_to_one_error_id_and_category(int status, string? code, string errorId, AurousErrorCategory category)
    {
        var info = AurousErrors.FromResponse(status, code);

        Assert.Equal(errorId, info.ErrorId);
        Assert.Equal(category, info.Category);
    }

    [Fact]
    public void A_specific_code_wins_over_an_unusual_status()
    {
        Assert.Equal(AurousErrors.InsufficientCredits, AurousErrors.FromResponse(400, "insufficient_credits").ErrorId);
    }

    [Fact]
    public void Every_error_id_constant_has_a_category_and_every_category_is_a_PowerShell_name()
    {
        var ids = typeof(AurousErrors).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.True(ids.Count >= 20);
        Assert.All(ids.Where(id => id != AurousErrors.UnexpectedResponse), id => Assert.NotEqual(AurousErrorCategory.NotSpecified, AurousErrors.CategoryOf(id)));

        // The module converts by name into System.Management.Automation.ErrorCategory; these are its member names.
        var powerShellNames = new[]
        {
            "NotSpecified", "OpenError", "CloseError", "DeviceError", "DeadlockDetected", "InvalidArgument", "InvalidData",
            "InvalidOperation", "InvalidResult", "InvalidType", "MetadataError", "NotImplemented", "NotInstalled",
            "ObjectNotFound", "OperationStopped", "OperationTimeout", "SyntaxError", "ParserError", "PermissionDenied",
            "ResourceBusy", "ResourceExists", "ResourceUnavailable", "ReadError", "WriteError", "FromStdErr",
            "SecurityError", "ProtocolError", "ConnectionError", "AuthenticationError", "LimitsExceeded",
            "QuotaExceeded", "NotEnabled",
        };
        Assert.All(Enum.GetNames<AurousErrorCategory>(), name => Assert.Contains(name, powerShellNames));
    }

    [Fact]
    public void Validation_and_configuration_exceptions_take_their_category_from_the_table()
    {
        Assert.Equal(AurousErrorCategory.InvalidArgument, new AurousValidationException("x", AurousErrors.InvalidPose, "Pose").Category);
        Assert.Equal(AurousErrorCategory.AuthenticationError, new AurousConfigurationException("x", AurousErrors.MissingApiKey).Category);
    }
}
