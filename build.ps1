<#
.SYNOPSIS
    Builds, tests, documents and packages the Aurous module.

.DESCRIPTION
    For people with PowerShell (Windows PowerShell 5.1 or PowerShell 7); CI and machines without it use the dotnet
    commands in README.md, which build the same layout and package.

      Build    dotnet build of the solution. Building src/Aurous.PowerShell also lays the module out in
               out/Aurous/<version>/ and writes out/Aurous.<version>.nupkg (build/Module.targets).
      Test     dotnet test of the solution, then the Pester tests (tests/*.Tests.ps1) against the laid-out module.
      Docs     PlatyPS turns docs/*.md into out/help/en-US/Aurous.PowerShell.dll-Help.xml and about_Aurous.help.txt.
      Package  Docs, then Build: the layout and the .nupkg include the help.

    Pester and platyPS are installed for the current user, at pinned versions, when missing.

.EXAMPLE
    ./build.ps1 -Task Package

.EXAMPLE
    ./build.ps1 -Task Build, Test -Configuration Debug
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Docs', 'Package')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$PesterVersion = '5.7.1'
$PlatyPSVersion = '0.14.2'

$Root = $PSScriptRoot
$Solution = Join-Path $Root 'Aurous.PowerShell.sln'
$ModuleProject = Join-Path $Root 'src/Aurous.PowerShell/Aurous.PowerShell.csproj'
$Version = @(Select-Xml -Path (Join-Path $Root 'Directory.Build.props') -XPath '//VersionPrefix')[0].Node.InnerText
$LayoutDirectory = Join-Path $Root "out/Aurous/$Version"
$HelpDirectory = Join-Path $Root 'out/help/en-US'
$PackagePath = Join-Path $Root "out/Aurous.$Version.nupkg"

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) {
        throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE."
    }
}

# Installs a pinned version for the current user when it is missing, then imports exactly that version.
function Import-PinnedModule([string] $Name, [string] $RequiredVersion) {
    if (-not (Get-Module -ListAvailable -Name $Name | Where-Object { $_.Version -eq [version] $RequiredVersion })) {
        Write-Host "Installing $Name $RequiredVersion for the current user"
        # -SkipPublisherCheck: Windows ships Pester 3.4 signed by another certificate, which blocks the upgrade.
        Install-Module -Name $Name -RequiredVersion $RequiredVersion -Repository PSGallery -Scope CurrentUser -Force -SkipPublisherCheck -AllowClobber
    }

    Import-Module -Name $Name -RequiredVersion $RequiredVersion -Force
}

function Invoke-Build {
    Invoke-Dotnet build $Solution -c $Configuration
    Write-Host "Module: $LayoutDirectory"
}

function Invoke-Test {
    Invoke-Dotnet test $Solution -c $Configuration

    $tests = @(Get-ChildItem -Path (Join-Path $Root 'tests') -Filter '*.Tests.ps1' -File)
    if ($tests.Count -eq 0) {
        return
    }

    if ($PSVersionTable.PSEdition -ne 'Core') {
        throw 'The Pester tests need PowerShell 7 (pwsh): run ./build.ps1 -Task Test from pwsh.'
    }

    Import-PinnedModule -Name Pester -RequiredVersion $PesterVersion
    $configuration = New-PesterConfiguration
    $configuration.Run.Path = $tests.FullName
    $configuration.Run.PassThru = $true
    $configuration.Output.Verbosity = 'Detailed'
    $configuration.TestResult.Enabled = $true
    $configuration.TestResult.OutputPath = Join-Path $Root 'out/TestResults/pester.xml'

    # Test what ships: the laid-out module, with its dependencies isolated as an installed copy has them.
    $previous = $env:AUROUS_MODULE_MANIFEST
    $env:AUROUS_MODULE_MANIFEST = Join-Path $LayoutDirectory 'Aurous.psd1'
    try {
        $result = Invoke-Pester -Configuration $configuration
    }
    finally {
        $env:AUROUS_MODULE_MANIFEST = $previous
    }

    if ($result.FailedCount -gt 0 -or $result.Result -ne 'Passed') {
        throw "Pester: $($result.FailedCount) test(s) failed."
    }
}

function Invoke-Docs {
    Import-PinnedModule -Name platyPS -RequiredVersion $PlatyPSVersion
    if (Test-Path $HelpDirectory) {
        Remove-Item -Path $HelpDirectory -Recurse -Force
    }

    $null = New-Item -ItemType Directory -Path $HelpDirectory -Force
    $written = New-ExternalHelp -Path (Join-Path $Root 'docs') -OutputPath $HelpDirectory -Force
    $written | ForEach-Object { Write-Host "Help: $($_.FullName)" }

    foreach ($expected in 'Aurous.PowerShell.dll-Help.xml', 'about_Aurous.help.txt') {
        if (-not (Test-Path (Join-Path $HelpDirectory $expected))) {
            throw "New-ExternalHelp did not write $expected."
        }
    }
}

function Invoke-Package {
    Invoke-Docs
    Invoke-Dotnet build $ModuleProject -c $Configuration
    $manifest = Test-ModuleManifest -Path (Join-Path $LayoutDirectory 'Aurous.psd1')
    if ($manifest.Version -ne [version] $Version) {
        throw "The manifest says $($manifest.Version); Directory.Build.props says $Version."
    }

    Write-Host "Module:  $LayoutDirectory"
    Write-Host "Package: $PackagePath"
}

foreach ($name in $Task) {
    Write-Host "== $name ($Configuration)"
    & "Invoke-$name"
}
