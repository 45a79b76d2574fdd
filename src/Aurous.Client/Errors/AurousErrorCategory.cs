namespace Aurous.Client;

/// <summary>Member names match System.Management.Automation.ErrorCategory so the module converts by name.</summary>
public enum AurousErrorCategory
{
    NotSpecified = 0,
    ObjectNotFound,
    InvalidArgument,
    QuotaExceeded,
    LimitsExceeded,
    ResourceExists,
    InvalidOperation,
    AuthenticationError,
    PermissionDenied,
    ConnectionError,
    OperationTimeout,
    InvalidData,
    InvalidResult,
    OperationStopped,
    ResourceUnavailable,
    WriteError,
    NotInstalled,
}
