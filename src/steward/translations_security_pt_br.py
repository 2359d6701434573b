"""Brazilian Portuguese translations of the family-facing sign-in pages of issue #10: sign-in,
lockout, re-authentication, session expiry and two-step verification (authenticator app,
recovery codes). Portuguese counts 0 as singular: the singular forms that can show 0 read as
a count ("Códigos não usados: 0")."""

from __future__ import annotations

TEXTS: dict[str, str | tuple[str, str]] = {
    # Sign-in and lockout.
    "Password": "Senha",
    "That password is not right.": "Essa senha não está correta.",
    "After several wrong passwords, signing in is paused for a while to protect your account.": "Depois de várias senhas erradas, o acesso fica pausado por um tempo para proteger a sua conta.",
    "District staff": "Funcionários do distrito",
    "Sign in with %(provider)s": "Entrar com %(provider)s",
    "Sign in with your district account": "Entrar com a sua conta do distrito",
    "Signing in is paused": "O acesso está pausado",
    "There have been too many failed sign-ins from your network. To protect the accounts on it, signing in from here is paused for %(minutes)s minute.": (
        "Houve tentativas de acesso malsucedidas demais a partir da sua rede. Para proteger as contas que usam essa rede, o acesso a partir daqui está pausado por %(minutes)s minuto.",
        "Houve tentativas de acesso malsucedidas demais a partir da sua rede. Para proteger as contas que usam essa rede, o acesso a partir daqui está pausado por %(minutes)s minutos.",
    ),
    "There have been too many failed sign-ins for this account. To protect it, signing in is paused for %(minutes)s minute.": (
        "Houve tentativas de acesso malsucedidas demais nesta conta. Para protegê-la, o acesso está pausado por %(minutes)s minuto.",
        "Houve tentativas de acesso malsucedidas demais nesta conta. Para protegê-la, o acesso está pausado por %(minutes)s minutos.",
    ),
    "If you did not make these attempts, tell your school office or the district privacy office: someone may be trying to get into your account. They can also unlock it sooner.": "Se não foi você que fez essas tentativas, avise a secretaria da escola ou o setor de privacidade do distrito: alguém pode estar tentando entrar na sua conta. Eles também podem desbloqueá-la antes.",
    "Back to sign in": "Voltar para a página de entrada",
    # Session expiry.
    "You were signed out after a period without activity. Please sign in again.": "Sua sessão foi encerrada após um período sem atividade. Entre novamente.",
    "Your session reached its time limit. Please sign in again.": "Sua sessão atingiu o tempo limite. Entre novamente.",
    "Your session has ended. Please sign in again.": "Sua sessão terminou. Entre novamente.",
    # Re-authentication.
    "Confirm it is you": "Confirme que é você",
    "This action needs a recent sign-in. Sign out, then sign in again with your district account to continue.": "Esta ação exige um acesso recente. Saia e entre novamente com a sua conta do distrito para continuar.",
    "Exports, emergency access and bulk downloads need a recent sign-in.": "Exportações, acesso de emergência e downloads em massa exigem um acesso recente.",
    "Enter your password and a code from your authenticator app.": "Digite sua senha e um código do seu aplicativo autenticador.",
    "Enter a code from your authenticator app.": "Digite um código do seu aplicativo autenticador.",
    "Enter your password.": "Digite sua senha.",
    "Continue": "Continuar",
    # Two-step verification: codes.
    "Code": "Código",
    "The six-digit code from your authenticator app, or one of your recovery codes.": "O código de seis dígitos do seu aplicativo autenticador ou um dos seus códigos de recuperação.",
    "Code from the app": "Código do aplicativo",
    "Enter the six-digit code your app shows now.": "Digite o código de seis dígitos que o seu aplicativo mostra agora.",
    "Too many wrong codes. Wait a moment and try again.": "Códigos errados demais. Aguarde um momento e tente novamente.",
    "Too many wrong codes. Wait %(n)d second and try again.": (
        "Códigos errados demais. Aguarde %(n)d segundo e tente novamente.",
        "Códigos errados demais. Aguarde %(n)d segundos e tente novamente.",
    ),
    "That code is not right. Check the app and try again.": "Esse código não está correto. Confira o aplicativo e tente novamente.",
    "Enter your code": "Digite seu código",
    "Open your authenticator app and enter the six-digit code it shows for Steward. If you do not have your phone, enter one of your recovery codes.": "Abra o seu aplicativo autenticador e digite o código de seis dígitos que ele mostra para o Steward. Se você não estiver com o celular, digite um dos seus códigos de recuperação.",
    "Verify": "Verificar",
    "Lost your phone and your recovery codes? Ask district IT to reset your second factor.": "Perdeu o celular e os códigos de recuperação? Peça à equipe de TI do distrito para redefinir a sua verificação em duas etapas.",
    "You used a recovery code: %(n)d is left. Make new ones on your sign-in security page.": (
        "Você usou um código de recuperação. Códigos restantes: %(n)d. Crie novos na sua página de segurança do acesso.",
        "Você usou um código de recuperação: restam %(n)d. Se estiverem acabando, crie novos na sua página de segurança do acesso.",
    ),
    # Two-step verification: the sign-in security page.
    "Sign-in security": "Segurança do acesso",
    "Authenticator app": "Aplicativo autenticador",
    "A second factor is on: after your password, you enter a code from your authenticator app.": "A verificação em duas etapas está ativada: depois da senha, você digita um código do seu aplicativo autenticador.",
    "You have %(n)s unused recovery code.": (
        "Códigos de recuperação não usados: %(n)s.",
        "Você tem %(n)s códigos de recuperação não usados.",
    ),
    "Make new recovery codes": "Criar novos códigos de recuperação",
    "Remove the app": "Remover o aplicativo",
    "Your role requires a second factor: after removing it you will set up a new app straight away (for example, on a new phone).": "Sua função exige a verificação em duas etapas: depois de remover o aplicativo, você vai configurar um novo imediatamente (por exemplo, em um celular novo).",
    "You can remove the app and sign in with your password alone.": "Você pode remover o aplicativo e entrar só com a sua senha.",
    "Remove the app and recovery codes": "Remover o aplicativo e os códigos de recuperação",
    "Your authenticator app and recovery codes are removed.": "Seu aplicativo autenticador e seus códigos de recuperação foram removidos.",
    "Your role requires a second factor. Set up an authenticator app to continue.": "Sua função exige a verificação em duas etapas. Configure um aplicativo autenticador para continuar.",
    "A second factor is off. You can turn it on: after your password, you would also enter a code from an authenticator app on your phone.": "A verificação em duas etapas está desativada. Você pode ativá-la: depois da senha, você também digitaria um código de um aplicativo autenticador no seu celular.",
    # Two-step verification: setting up the app.
    "Set up an authenticator app": "Configurar um aplicativo autenticador",
    "Your role gives you access to student records, so signing in needs a second factor: a code from an app on your phone, as well as your password.": "Sua função dá acesso aos registros dos alunos, por isso o acesso exige a verificação em duas etapas: um código de um aplicativo no seu celular, além da sua senha.",
    "Install an authenticator app on your phone if you do not have one (for example Google Authenticator, Microsoft Authenticator or FreeOTP).": "Instale um aplicativo autenticador no seu celular se você não tiver um (por exemplo, Google Authenticator, Microsoft Authenticator ou FreeOTP).",
    "In the app, add an account and scan this QR code:": "No aplicativo, adicione uma conta e escaneie este código QR:",
    "QR code to scan with your authenticator app": "Código QR para escanear com o seu aplicativo autenticador",
    "Cannot scan it? Type this key into the app instead:": "Não consegue escanear? Digite esta chave no aplicativo:",
    "Enter the code the app shows to finish.": "Para concluir, digite o código que o aplicativo mostra.",
    "Turn on": "Ativar",
    "Your authenticator app is already set up.": "Seu aplicativo autenticador já está configurado.",
    # Two-step verification: recovery codes.
    "Recovery codes": "Códigos de recuperação",
    "Write these codes down or print them, and keep them somewhere safe. Each one works once, instead of a code from the app, if you lose your phone. They are shown only now.": "Anote ou imprima estes códigos e guarde-os em um lugar seguro. Se você perder o celular, cada um funciona uma única vez no lugar de um código do aplicativo. Eles só são mostrados agora.",
    "I have kept my codes": "Já guardei meus códigos",
    "Recovery codes are shown only once, when they are made. You have %(n)s unused code.": (
        "Os códigos de recuperação só são mostrados uma vez, quando são criados. Códigos não usados: %(n)s.",
        "Os códigos de recuperação só são mostrados uma vez, quando são criados. Você tem %(n)s códigos não usados.",
    ),
    "Back to sign-in security": "Voltar para a segurança do acesso",
}
