"""Spanish translations of the family-facing sign-in pages of issue #10: sign-in, lockout,
re-authentication, session expiry and two-step verification (authenticator app, recovery codes)."""

from __future__ import annotations

TEXTS: dict[str, str | tuple[str, str]] = {
    # Sign-in and lockout.
    "Password": "Contraseña",
    "That password is not right.": "Esa contraseña no es correcta.",
    "After several wrong passwords, signing in is paused for a while to protect your account.": "Después de varias contraseñas incorrectas, el inicio de sesión se pone en pausa durante un tiempo para proteger su cuenta.",
    "District staff": "Personal del distrito",
    "Sign in with %(provider)s": "Iniciar sesión con %(provider)s",
    "Sign in with your district account": "Iniciar sesión con su cuenta del distrito",
    "Signing in is paused": "El inicio de sesión está en pausa",
    "There have been too many failed sign-ins from your network. To protect the accounts on it, signing in from here is paused for %(minutes)s minute.": (
        "Hubo demasiados intentos fallidos de inicio de sesión desde su red. Para proteger las cuentas que la usan, el inicio de sesión desde aquí está en pausa durante %(minutes)s minuto.",
        "Hubo demasiados intentos fallidos de inicio de sesión desde su red. Para proteger las cuentas que la usan, el inicio de sesión desde aquí está en pausa durante %(minutes)s minutos.",
    ),
    "There have been too many failed sign-ins for this account. To protect it, signing in is paused for %(minutes)s minute.": (
        "Hubo demasiados intentos fallidos de inicio de sesión en esta cuenta. Para protegerla, el inicio de sesión está en pausa durante %(minutes)s minuto.",
        "Hubo demasiados intentos fallidos de inicio de sesión en esta cuenta. Para protegerla, el inicio de sesión está en pausa durante %(minutes)s minutos.",
    ),
    "If you did not make these attempts, tell your school office or the district privacy office: someone may be trying to get into your account. They can also unlock it sooner.": "Si usted no hizo estos intentos, avise a la oficina de su escuela o a la oficina de privacidad del distrito: es posible que alguien esté intentando entrar en su cuenta. También pueden desbloquearla antes.",
    "Back to sign in": "Volver al inicio de sesión",
    # Session expiry.
    "You were signed out after a period without activity. Please sign in again.": "Se cerró su sesión después de un periodo sin actividad. Vuelva a iniciar sesión.",
    "Your session reached its time limit. Please sign in again.": "Su sesión llegó a su tiempo límite. Vuelva a iniciar sesión.",
    "Your session has ended. Please sign in again.": "Su sesión terminó. Vuelva a iniciar sesión.",
    # Re-authentication.
    "Confirm it is you": "Confirme que es usted",
    "This action needs a recent sign-in. Sign out, then sign in again with your district account to continue.": "Esta acción requiere un inicio de sesión reciente. Cierre la sesión y vuelva a iniciarla con su cuenta del distrito para continuar.",
    "Exports, emergency access and bulk downloads need a recent sign-in.": "Las exportaciones, el acceso de emergencia y las descargas masivas requieren un inicio de sesión reciente.",
    "Enter your password and a code from your authenticator app.": "Escriba su contraseña y un código de su aplicación de autenticación.",
    "Enter a code from your authenticator app.": "Escriba un código de su aplicación de autenticación.",
    "Enter your password.": "Escriba su contraseña.",
    "Continue": "Continuar",
    # Two-step verification: codes.
    "Code": "Código",
    "The six-digit code from your authenticator app, or one of your recovery codes.": "El código de seis dígitos de su aplicación de autenticación, o uno de sus códigos de recuperación.",
    "Code from the app": "Código de la aplicación",
    "Enter the six-digit code your app shows now.": "Escriba el código de seis dígitos que muestra ahora su aplicación.",
    "Too many wrong codes. Wait a moment and try again.": "Demasiados códigos incorrectos. Espere un momento y vuelva a intentarlo.",
    "Too many wrong codes. Wait %(n)d second and try again.": (
        "Demasiados códigos incorrectos. Espere %(n)d segundo y vuelva a intentarlo.",
        "Demasiados códigos incorrectos. Espere %(n)d segundos y vuelva a intentarlo.",
    ),
    "That code is not right. Check the app and try again.": "Ese código no es correcto. Revise la aplicación y vuelva a intentarlo.",
    "Enter your code": "Escriba su código",
    "Open your authenticator app and enter the six-digit code it shows for Steward. If you do not have your phone, enter one of your recovery codes.": "Abra su aplicación de autenticación y escriba el código de seis dígitos que muestra para Steward. Si no tiene su teléfono, escriba uno de sus códigos de recuperación.",
    "Verify": "Verificar",
    "Lost your phone and your recovery codes? Ask district IT to reset your second factor.": "¿Perdió su teléfono y sus códigos de recuperación? Pida al departamento de informática del distrito que restablezca su verificación en dos pasos.",
    "You used a recovery code: %(n)d is left. Make new ones on your sign-in security page.": (
        "Usó un código de recuperación: le queda %(n)d. Cree otros nuevos en su página de seguridad del inicio de sesión.",
        "Usó un código de recuperación: le quedan %(n)d. Si le quedan pocos, cree otros nuevos en su página de seguridad del inicio de sesión.",
    ),
    # Two-step verification: the sign-in security page.
    "Sign-in security": "Seguridad del inicio de sesión",
    "Authenticator app": "Aplicación de autenticación",
    "A second factor is on: after your password, you enter a code from your authenticator app.": "La verificación en dos pasos está activada: después de su contraseña, usted escribe un código de su aplicación de autenticación.",
    "You have %(n)s unused recovery code.": (
        "Tiene %(n)s código de recuperación sin usar.",
        "Tiene %(n)s códigos de recuperación sin usar.",
    ),
    "Make new recovery codes": "Crear nuevos códigos de recuperación",
    "Remove the app": "Quitar la aplicación",
    "Your role requires a second factor: after removing it you will set up a new app straight away (for example, on a new phone).": "Su función exige la verificación en dos pasos: después de quitar la aplicación, configurará una nueva enseguida (por ejemplo, en un teléfono nuevo).",
    "You can remove the app and sign in with your password alone.": "Puede quitar la aplicación e iniciar sesión solo con su contraseña.",
    "Remove the app and recovery codes": "Quitar la aplicación y los códigos de recuperación",
    "Your authenticator app and recovery codes are removed.": "Se quitaron su aplicación de autenticación y sus códigos de recuperación.",
    "Your role requires a second factor. Set up an authenticator app to continue.": "Su función exige la verificación en dos pasos. Configure una aplicación de autenticación para continuar.",
    "A second factor is off. You can turn it on: after your password, you would also enter a code from an authenticator app on your phone.": "La verificación en dos pasos está desactivada. Puede activarla: después de su contraseña, también escribiría un código de una aplicación de autenticación en su teléfono.",
    # Two-step verification: setting up the app.
    "Set up an authenticator app": "Configurar una aplicación de autenticación",
    "Your role gives you access to student records, so signing in needs a second factor: a code from an app on your phone, as well as your password.": "Su función le da acceso a los expedientes de los estudiantes, por lo que para iniciar sesión necesita la verificación en dos pasos: un código de una aplicación en su teléfono, además de su contraseña.",
    "Install an authenticator app on your phone if you do not have one (for example Google Authenticator, Microsoft Authenticator or FreeOTP).": "Instale una aplicación de autenticación en su teléfono si no tiene una (por ejemplo, Google Authenticator, Microsoft Authenticator o FreeOTP).",
    "In the app, add an account and scan this QR code:": "En la aplicación, agregue una cuenta y escanee este código QR:",
    "QR code to scan with your authenticator app": "Código QR para escanear con su aplicación de autenticación",
    "Cannot scan it? Type this key into the app instead:": "¿No puede escanearlo? Escriba esta clave en la aplicación:",
    "Enter the code the app shows to finish.": "Para terminar, escriba el código que muestra la aplicación.",
    "Turn on": "Activar",
    "Your authenticator app is already set up.": "Su aplicación de autenticación ya está configurada.",
    # Two-step verification: recovery codes.
    "Recovery codes": "Códigos de recuperación",
    "Write these codes down or print them, and keep them somewhere safe. Each one works once, instead of a code from the app, if you lose your phone. They are shown only now.": "Anote estos códigos o imprímalos, y guárdelos en un lugar seguro. Si pierde su teléfono, cada uno sirve una sola vez en lugar de un código de la aplicación. Solo se muestran ahora.",
    "I have kept my codes": "Ya guardé mis códigos",
    "Recovery codes are shown only once, when they are made. You have %(n)s unused code.": (
        "Los códigos de recuperación se muestran una sola vez, cuando se crean. Tiene %(n)s código sin usar.",
        "Los códigos de recuperación se muestran una sola vez, cuando se crean. Tiene %(n)s códigos sin usar.",
    ),
    "Back to sign-in security": "Volver a la seguridad del inicio de sesión",
}
